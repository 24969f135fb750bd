"""Who was caught: how many people a report says were arrested for one haul, and their
nationalities ("arrested two Lao men" -> 2, LA; "the driver fled" -> 0; "charged" alone -> unknown).
"""

from __future__ import annotations

from spacy.tokens import Token

from borderwatch.extract import patterns
from borderwatch.extract.context import Found, Layout, Sentence
from borderwatch.extract.items import is_goods
from borderwatch.extract.nlp import subtree
from borderwatch.extract.units import find_quantities, parse_number
from borderwatch.geo.countries import country_code, find_countries
from borderwatch.lang import Language


def count_arrests(layout: Layout, sentences: list[Sentence], own: list[Sentence] | None = None
                  ) -> Found[int] | None:
    """People arrested in this event: the largest explicit count, 0 when nobody was, else None. A count
    told for several cases at once ("Three suspects were arrested in connection with the cases") is no one
    haul's; a count in the haul's ``own`` sentences ("... seized 19 bricks of heroin and arrested one
    suspect") beats a lead's before them that sums the day ("arrested 12 suspects in all")."""
    sentences = [s for s in sentences if not layout.language.pattern("several_cases").search(s.text)]
    if own:
        told = count_arrests(layout, [s for s in sentences if s in own])
        if told is not None and told.value > 0:
            # what follows the haul may still count its people whole ("ควบคุมตัวผู้ต้องหาทั้ง 2 คน", both of them)
            # ... but not once another case begins ("Ngoài ra, tại các địa điểm khác ... bắt 12 nghi can")
            first = min(s.start for s in own)
            later = count_arrests(layout, [s for s in sentences if s.start >= first and (
                s in own or not _another_case(layout.language, s.text))])
            return later if later is not None and later.value > told.value else told
    best: Found[int] | None = None
    for sentence in sentences:
        for value, start, end in _arrests_in(layout, sentence):
            if best is None or value > best.value:
                best = Found(value, sentence.text[start:end],
                             (layout.span(sentence.start + start, sentence.start + end, "arrests"),))
    if best is not None:
        return best
    for sentence in sentences:
        m = layout.language.pattern("nobody_caught").search(sentence.text)
        if m:
            return Found(0, m.group(0), (layout.span(sentence.start + m.start(), sentence.start + m.end(),
                                                     "arrests"),))
    return None


def _another_case(language: Language, text: str) -> bool:
    """Does a sentence turn to another case ("in a separate case", "Meanwhile, ...")?"""
    return bool(language.pattern("separator").search(text) or language.pattern("meanwhile").match(text))


def _arrests_in(layout: Layout, sentence: Sentence) -> list[tuple[int, int, int]]:
    """(people, start, end) for each arrest clause, offsets relative to the sentence."""
    if sentence.tokens is None:
        return patterns.arrests_in(layout.language, sentence.text)
    out = []
    base = sentence.tokens.start_char
    shift = base - sentence.start
    language = layout.language
    for verb in sentence.tokens:
        lemma = verb.lemma_.lower()
        # "stopped two men at a tollgate": a verb of stopping is an arrest only of the people it stops
        # or, passive, of finding ("two Thai women were found carrying 11 kg")
        found_with = lemma in language.words("find_verbs") and _found_with_goods(language, verb)
        stopping = lemma in language.words("stop_verbs") or found_with or (lemma in language.words("find_verbs") and any(
            c.dep_ == "nsubjpass" for c in verb.children))
        # A clause of a sentence telling two hauls keeps the whole parse: only its own arrest verbs count.
        if (lemma not in language.words("arrest_verbs") and not stopping) or not verb.tag_.startswith("VB") or not (
                sentence.start <= verb.idx < sentence.end):
            continue
        if lemma in language.words("particle_arrest_verbs") and not any(
                c.lower_ in language.words("arrest_particles") for c in verb.children):
            continue  # "picked up", not "picked"
        if lemma in language.words("custody_verbs") and not language.pattern("into_custody").search(
                sentence.text[verb.idx - base:verb.idx - base + 40].lower()):
            continue
        if any(c.dep_ in ("aux", "mark") and c.lower_ in layout.language.words("arrest_modals")
               for c in verb.children):
            continue  # "could arrest the owner", "If we arrest these two"
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in language.words("failed_verbs"):
            continue  # "seized 8 million pills but failed to capture the driver": nobody caught
        # "CHIANG RAI – Two men have been detained": the dateline parsed as a second subject is no one.
        # "found Trang, 43, hiding 23.7 kg": a person after the verb, though the parse makes it its subject
        objects = [c for c in verb.children if (c.dep_ in ("dobj", "nsubjpass", "obj") or (
            found_with and c.dep_ == "nsubj" and c.i > verb.i)) and not (
            c.is_upper and any(p.dep_ == "punct" and p.i == c.i + 1 for p in c.children))]
        # "Piwjansod Utsantnee, 20, and Hullas Nanthiya, 27, who were caught at the airport": the people
        # a relative clause's pronoun stands for
        objects = [verb.head if o.tag_ == "WP" and verb.dep_ == "relcl" else o for o in objects]
        if stopping and not all(o.lemma_.lower() in language.words("people_nouns") or o.ent_type_ == "PERSON" or (
                found_with and o.pos_ == "PROPN" and (o.ent_type_ in ("", "PERSON", "NORP") or any(
                    c.dep_ == "appos" and c.pos_ == "NUM" for c in o.children))) for o in objects):  # "Trang, 43,"
            continue  # "stopped a truck", "intercepted the boat": no one counted
        total = 0
        for k, head in enumerate(objects):
            # "arresting the owner U Kyaw Soe and his son": a name right after the noun is the same person.
            named_again = k > 0 and head.pos_ == "PROPN" and head.left_edge.i == objects[k - 1].i + 1
            # "The driver, Aung Min, 30, and his wife": one joined to the name given for an uncounted person
            # is another person.
            conjuncts = [*head.conjuncts, *(c for a in head.children if a.dep_ == "appos" and a.pos_ == "PROPN"
                                            and not any(n.dep_ == "nummod" for n in head.children)
                                            for c in a.conjuncts)]
            if _restated(layout.language, head, conjuncts):
                conjuncts = []  # "two men, a Vietnamese driver and his Lao assistant": the two, described
            # "Vientiane (VNA) – Two suspects have been apprehended": nor is a dateline before its dash
            dash = next((t.i for t in sentence.tokens if t.text in ("–", "—")), None)
            if dash is not None and any(not (t.is_punct or t.text[:1].isupper()) for t in sentence.tokens.doc[
                    sentence.tokens.start:dash]):
                dash = None  # a dash inside the sentence ("his assistant – Uon Im, 31 – were arrested")
            for person in [p for p in [*([] if named_again else [head]), *conjuncts]
                           if dash is None or not p.i < dash < verb.i]:
                people = _people(layout.language, person)
                if people is None:
                    total = -1
                    break
                total += people
            if total < 0:
                break
        if objects and total >= 0:
            total -= _released(language, verb)
            tokens = [verb, *[t for o in objects for t in subtree(o)]]
            start = min(t.idx for t in tokens) - base + shift
            end = max(t.idx + len(t.text) for t in tokens) - base + shift
            out.append((total, start, end))
            continue
        at = verb.idx - sentence.start + len(verb.text)
        m = layout.language.pattern("object_after").match(sentence.text[at:])
        if m:
            value = 1 if m.group("one") else parse_number(m.group("n") or "")
            if value is not None:
                out.append((int(value), verb.idx - sentence.start, at + m.end()))
    return out


def _found_with_goods(language: Language, verb: Token) -> bool:
    """"police found two men carrying 5 kg", "found Trang, 43, hiding 23.7 kg of heroin": people found in
    the act of holding the goods are caught."""
    held = [t for t in verb.subtree if t.tag_ == "VBG" and t.lemma_.lower() in language.words("weak_verbs")
            and t.dep_ in ("advcl", "acl", "xcomp") and t.i > verb.i and (t.head == verb or t.head.head == verb)]
    return any(any(is_goods(q) for q in find_quantities(t.doc[t.i:t.right_edge.i + 1].text)) for t in held)


def _released(language: Language, verb: Token) -> int:
    """People an arrest's own sentence says were let go after it ("arrested 60 people but later released 15")."""
    for other in verb.conjuncts:
        if other.i > verb.i and language.pattern("released").search(other.text):
            counted = [_people(language, o) for o in other.children if o.dep_ in ("dobj", "obj")]
            return sum(n for n in counted if n is not None)
    return 0


def _restated(language: Language, head: Token, conjuncts: list[Token]) -> bool:
    """Does a list right after a counted head, past a comma, name the same people one by one?"""
    counted = [c for c in head.children if c.dep_ == "nummod"]
    if not counted or len(conjuncts) < 2 or head.i + 1 >= len(head.doc) or not head.doc[head.i + 1].is_punct \
            or conjuncts[0].left_edge.i != head.i + 2:
        return False
    listed = [_people(language, c) for c in conjuncts]
    return None not in listed and sum(n for n in listed if n is not None) == _people(language, head)


def _people(language: Language, token: Token) -> int | None:
    """How many people one object noun phrase names, None when it does not say."""
    word = token.lower_
    if word in language.words("nobody_words") or any(
            c.lower_ in language.words("no_determiners") for c in token.children if c.dep_ == "det"):
        return 0
    if word in language.words("one_person_pronouns") or (
            token.pos_ == "PRON" and token.morph.get("Number", []) == ["Sing"]
            and token.morph.get("Gender", []) in (["Masc"], ["Fem"])):
        return 1  # "He was caught with 618,000 pills"
    if word in language.numbers("pair"):
        return int(language.numbers("pair")[word])
    if token.pos_ == "PROPN" and token.ent_type_ != "NORP" and not any(c.dep_ == "nummod" for c in token.children):
        return 1  # a name, though the parser may take a foreign one for a place ("arresting Charoon Suriyaphum")
    if token.ent_type_ == "NORP" and any(
            c.dep_ == "det" and c.morph.get("Definite", []) == ["Ind"] for c in token.children):
        return 1  # "arrested a Laotian in his 20s"
    if token.pos_ == "NUM":  # "All five were arrested", "arrested three"
        value = parse_number(token.text)
        return int(value) if value is not None else None
    numbers = [c for c in token.children if c.dep_ == "nummod"]
    if numbers:
        counted = token.doc[min(numbers[0].i, token.i):token.i + 1].text
        if any(is_goods(q) for q in find_quantities(counted)):
            return None  # "was planning to pick up another 550 kilograms": goods, not people
        value = parse_number(numbers[0].text)
        return int(value) if value is not None else None
    dets = [c.lower_ for c in token.children if c.dep_ in ("det", "predet", "poss")]
    if word in language.words("people_nouns") and token.tag_ not in ("NNS", "NNPS") and not word.endswith(("men", "s")):
        return 1 if dets else None
    return None


def _one_hauls(language: Language, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences that tell of one haul's people: not those counting over several cases or a year so far
    ("arresting several Laotians and Vietnamese" in six operations, "seven Cambodians ... so far this year")."""
    return [s for s in sentences if not language.pattern("several_cases").search(s.text)
            and not language.pattern("so_far").search(s.text)]


def find_nationalities(layout: Layout, sentences: list[Sentence]) -> Found[tuple[str, ...]] | None:
    """ISO2 codes of suspects' nationalities ("Lao national", "a resident of Laos holding passport")."""
    codes: list[str] = []
    evidence = []
    for sentence in _one_hauls(layout.language, sentences):
        for m in layout.language.cue("nationality").finditer(sentence.text):
            code = next((country_code(m.group("name")[i:]) for i in range(len(m.group("name")))
                         if country_code(m.group("name")[i:])), None)
            if code:
                if code not in codes:
                    codes.append(code)
                evidence.append(layout.span(sentence.start + m.start("name"), sentence.start + m.end("name"),
                                            "nationalities"))
        for c in find_countries(sentence.text):
            if c.text.endswith("s") and layout.language.pattern("released").search(sentence.text):
                continue
            after = sentence.text[c.end:c.end + 40]
            before = sentence.text[max(0, c.start - 30):c.start]
            if layout.language.pattern("third_party_before").search(before):
                continue  # "bought the drugs from a Lao man", "passed them on to a Thai national": not the suspects
            if layout.language.pattern("person_after").match(after) or layout.language.pattern("person_before").search(before) or layout.language.pattern("person_in").search(c.text) or (
                    c.adjective and layout.language.pattern("predicate_before").search(before) and layout.language.pattern("predicate_after").match(after)):
                if c.code not in codes:
                    codes.append(c.code)
                evidence.append(layout.span(sentence.start + c.start, sentence.start + c.end, "nationalities"))
    if not codes:
        return None
    return Found(tuple(codes), ", ".join(e.text for e in evidence), tuple(evidence))
