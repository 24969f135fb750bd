"""Who was caught: how many people a report says were arrested for one haul, and their
nationalities ("arrested two Lao men" -> 2, LA; "the driver fled" -> 0; "charged" alone -> unknown).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from borderwatch.extract import patterns
from borderwatch.extract.context import Found, Layout, Sentence
from borderwatch.extract.units import parse_number
from borderwatch.geo.countries import country_code, find_countries

_ARREST_VERBS = frozenset(["arrest", "detain", "catch", "apprehend", "nab", "capture", "pick", "take"])
_PEOPLE = frozenset(["man", "men", "woman", "women", "national", "nationals", "citizen", "citizens", "suspect", "suspects", "person", "people", "driver", "drivers", "smuggler", "smugglers", "trafficker", "traffickers", "courier", "couriers", "youth", "youths", "resident", "residents", "boy", "boys", "girl", "girls", "foreigner", "foreigners", "individual", "individuals", "teenager", "teenagers", "dealer", "dealers", "member", "members", "owner", "owners", "passenger", "passengers", "defendant", "defendants", "farmer", "farmers", "worker", "workers",
                     # relatives and partners arrested alongside ("the owner and his son")
                     "son", "sons", "daughter", "daughters", "wife", "husband", "brother", "brothers", "sister",
                     "sisters", "nephew", "niece", "cousin", "accomplice", "accomplices", "associate",
                     "associates", "girlfriend", "boyfriend", "partner", "shopkeeper", "shopkeepers", "vendor",
                     "vendors", "seller", "sellers", "buyer", "buyers", "trader", "traders", "boatman", "boatmen",
                     "fisherman", "fishermen", "villager", "villagers", "businessman", "businessmen", "assistant",
                     "assistants", "helper", "helpers", "companion", "companions", "porter", "porters"])
_PAIR = {"pair": 2, "couple": 2, "both": 2, "duo": 2, "trio": 3}
_NONE = re.compile(r"\b(?:nobody|no one|none of them|no suspects?)\s+(?:was|were|has been|had been|have been)"
                   r"\s+(?:arrested|detained|caught)|\bno arrests?\b|\b(?:driver|drivers|suspects?|smugglers?|"
                   r"owners?|traffickers?|men|crew|loggers?|poachers?|culprits?|perpetrators?|offenders?|gang)\b[^.;]{0,40}?\b(?:ran off|fled|escaped|ran away|got away|"
                   r"abandoned)", re.IGNORECASE)
# The parser's fallback: "arrested a 27-year-old Lao national", "detained three Thai men".
_OBJECT_AFTER = re.compile(
    r"\s+(?:(?P<one>a|an|one|another)|(?P<n>two|three|four|five|six|seven|eight|nine|ten|\d{1,3}))\s+"
    r"(?:[\w'’-]+\s+){0,3}?(?:m[ae]n|wom[ae]n|nationals?|citizens?|suspects?|persons?|people|drivers?|"
    r"smugglers?|traffickers?|couriers?|youths?|residents?|foreigners?)\b", re.IGNORECASE)
_PERSON_AFTER = re.compile(
    r"^(?:\s*-\s*|\s+)(?:(?:\d+-year-old|young|male|female)\s+)?(?:nationals?|citizens?|men|man|women|woman|"
    r"suspects?|drivers?|smugglers?|traffickers?|couriers?|passport|residents?|boys?|girls?|youths?|"
    r"nationality|teenagers?|students?|businessm[ae]n|farmers?|workers?|passengers?|travell?ers?|"
    r"defendants?)\b", re.IGNORECASE)
# "The suspects, all Vietnamese of Hmong ethnicity", "both were Lao": a nationality as predicate.
_PREDICATE_BEFORE = re.compile(r"\b(?:all|both|were|was|are|is)\s+$", re.IGNORECASE)
_PREDICATE_AFTER = re.compile(r"^\s*(?:[,.;)]|$|of\b|and\b)", re.IGNORECASE)
# "Myanmar national" read as one mention, or a plural demonym ("two Cambodians"): the mention names people.
# "five Cambodians ... were released with a warning": people let go are not the haul's suspects.
_RELEASED = re.compile(r"\breleased\b|\blet go\b", re.IGNORECASE)
_PERSON_IN = re.compile(r"\b(?:nationals?|citizens?)$|(?-i:[A-Z][a-z]+(?:ian|an|i)s)$", re.IGNORECASE)
_PERSON_BEFORE = re.compile(r"\b(?:resident|citizen|national|native)s?\s+of\s+$|\d+-year-old\s+$|"
                            r"\b(?:man|woman|men|women|suspects?|drivers?|couriers?)\s+from\s+$", re.IGNORECASE)


def count_arrests(layout: Layout, sentences: list[Sentence]) -> Found[int] | None:
    """People arrested in this event: the largest explicit count, 0 when nobody was, else None."""
    best: Found[int] | None = None
    for sentence in sentences:
        for value, start, end in _arrests_in(layout, sentence):
            if best is None or value > best.value:
                best = Found(value, sentence.text[start:end],
                             (layout.span(sentence.start + start, sentence.start + end, "arrests"),))
    if best is not None:
        return best
    for sentence in sentences:
        m = _NONE.search(sentence.text)
        if m:
            return Found(0, m.group(0), (layout.span(sentence.start + m.start(), sentence.start + m.end(),
                                                     "arrests"),))
    return None


def _arrests_in(layout: Layout, sentence: Sentence) -> list[tuple[int, int, int]]:
    """(people, start, end) for each arrest clause, offsets relative to the sentence."""
    if sentence.tokens is None:
        return patterns.arrests_in(layout.language, sentence.text)
    out = []
    base = sentence.tokens.start_char
    shift = base - sentence.start
    for verb in sentence.tokens:
        if verb.lemma_.lower() not in _ARREST_VERBS or not verb.tag_.startswith("VB"):
            continue
        if verb.lemma_.lower() == "pick" and not any(c.lower_ == "up" for c in verb.children):
            continue
        if verb.lemma_.lower() == "take" and "into custody" not in sentence.text[
                verb.idx - base:verb.idx - base + 40].lower():
            continue
        if any(c.dep_ == "aux" and c.lower_ in ("could", "would", "may", "might", "will", "can")
               for c in verb.children):
            continue
        objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "obj")]
        total = 0
        for k, head in enumerate(objects):
            # "arresting the owner U Kyaw Soe and his son": a name right after the noun is the same person.
            named_again = k > 0 and head.pos_ == "PROPN" and head.left_edge.i == objects[k - 1].i + 1
            for person in [*([] if named_again else [head]), *[c for c in head.conjuncts]]:
                people = _people(person)
                if people is None:
                    total = -1
                    break
                total += people
            if total < 0:
                break
        if objects and total >= 0:
            tokens = [verb, *[t for o in objects for t in o.subtree]]
            start = min(t.idx for t in tokens) - base + shift
            end = max(t.idx + len(t.text) for t in tokens) - base + shift
            out.append((total, start, end))
            continue
        at = verb.idx - sentence.start + len(verb.text)
        m = _OBJECT_AFTER.match(sentence.text[at:])
        if m:
            value = 1 if m.group("one") else parse_number(m.group("n") or "")
            if value is not None:
                out.append((int(value), verb.idx - sentence.start, at + m.end()))
    return out


def _people(token: Token) -> int | None:
    """How many people one object noun phrase names, None when it does not say."""
    word = token.lower_
    if word in ("nobody", "none") or any(c.lower_ == "no" for c in token.children if c.dep_ == "det"):
        return 0
    if word in ("him", "her"):
        return 1
    if word in _PAIR:
        return _PAIR[word]
    if token.pos_ == "PROPN" and token.ent_type_ in ("PERSON", ""):
        return 1
    if token.pos_ == "NUM":  # "All five were arrested", "arrested three"
        value = parse_number(token.text)
        return int(value) if value is not None else None
    numbers = [c for c in token.children if c.dep_ == "nummod"]
    if numbers:
        value = parse_number(numbers[0].text)
        return int(value) if value is not None else None
    dets = [c.lower_ for c in token.children if c.dep_ in ("det", "predet", "poss")]
    if word in _PEOPLE and token.tag_ not in ("NNS", "NNPS") and not word.endswith(("men", "s")):
        return 1 if dets else None
    return None


def find_nationalities(layout: Layout, sentences: list[Sentence]) -> Found[tuple[str, ...]] | None:
    """ISO2 codes of suspects' nationalities ("Lao national", "a resident of Laos holding passport")."""
    codes: list[str] = []
    evidence = []
    for sentence in sentences:
        for m in layout.language.cue("nationality").finditer(sentence.text):
            code = next((country_code(m.group("name")[i:]) for i in range(len(m.group("name")))
                         if country_code(m.group("name")[i:])), None)
            if code:
                if code not in codes:
                    codes.append(code)
                evidence.append(layout.span(sentence.start + m.start("name"), sentence.start + m.end("name"),
                                            "nationalities"))
        for c in find_countries(sentence.text):
            if c.text.endswith("s") and _RELEASED.search(sentence.text):
                continue
            after = sentence.text[c.end:c.end + 40]
            before = sentence.text[max(0, c.start - 30):c.start]
            if _PERSON_AFTER.match(after) or _PERSON_BEFORE.search(before) or _PERSON_IN.search(c.text) or (
                    c.adjective and _PREDICATE_BEFORE.search(before) and _PREDICATE_AFTER.match(after)):
                if c.code not in codes:
                    codes.append(c.code)
                evidence.append(layout.span(sentence.start + c.start, sentence.start + c.end, "nationalities"))
    if not codes:
        return None
    return Found(tuple(codes), ", ".join(e.text for e in evidence), tuple(evidence))
