"""Speaker attribution: who each speech verb names, as the fullest name or description given."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from borderwatch.extract.nlp import subtree
from borderwatch.extract.quote_passages import Passage, inside_passage, words_of
from borderwatch.lang import Language
from borderwatch.model import Document


@dataclass(frozen=True)
class Speaker:
    """Who an attribution names, with the mention it came from."""

    name: str
    role: str | None
    mention: tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """A speech verb outside quotation marks and the speaker it resolves to."""

    verb: Token
    speaker: Speaker | None


class _Names:
    """Full names of people and bodies in one document; short mentions map to them."""

    def __init__(self) -> None:
        self.full: list[tuple[int, tuple[str, ...]]] = []
        self.roles: dict[str, str] = {}

    def add(self, position: int, words: tuple[str, ...]) -> None:
        """Remember a name seen at ``position``."""
        if words and (position, words) not in self.full:
            self.full.append((position, words))

    def resolve(self, words: tuple[str, ...], position: int) -> str:
        """The longest known name containing ``words``, nearest before ``position`` first."""
        best: tuple[int, int, tuple[str, ...]] | None = None
        for seen, full in self.full:
            if len(full) <= len(words) or not _contains(full, words):
                continue
            rank = (0 if seen <= position else 1, -seen if seen <= position else seen)
            key = (rank[0], rank[1], full)
            if best is None or key[:2] < best[:2]:
                best = key
        return " ".join(best[2] if best else words)


def _contains(full: tuple[str, ...], part: tuple[str, ...]) -> bool:
    lowered = [w.lower() for w in full]
    wanted = [w.lower() for w in part]
    return any(lowered[i:i + len(wanted)] == wanted for i in range(len(lowered) - len(wanted) + 1))


def _name_tokens(language: Language, head: Token) -> list[Token]:
    """The proper-noun tokens of a name headed by ``head``, titles and ranks left out."""
    if head.pos_ != "PROPN":
        return []
    tokens = [head]
    left = head.i - 1
    while left >= 0:
        tok = head.doc[left]
        if tok.pos_ != "PROPN" or tok.head.i not in {t.i for t in tokens} | {head.i}:
            break
        tokens.insert(0, tok)
        left -= 1
    while tokens and _is_title(language, tokens[0]):
        tokens.pop(0)
    # "Senior Lieutenant Colonel Nguyen Van Hung": everything up to the last title is rank.
    last_title = max((i for i, tok in enumerate(tokens) if _is_title(language, tok)), default=-1)
    tokens = tokens[last_title + 1:]
    return [t for t in tokens if t.is_alpha or "-" in t.text]


def _misread_first_name(head: Token) -> list[Token]:
    """"Am Sam Ath, deputy director ..., said": a capitalised word the parser read as a verb or a noun,
    heading the person's name that follows it, is the name's first word."""
    if head.pos_ == "PROPN" or not head.is_title or not head.is_alpha or head.i + 1 >= len(head.doc):
        return []
    person = _entity_of(head.doc[head.i + 1], "PERSON")
    if person is None or person.start != head.i + 1 or person.root.head.i != head.i:
        return []
    return [head, *(t for t in person if t.is_alpha)]


def _entity_of(tok: Token, label: str) -> SpacySpan | None:
    """The ``label`` entity ``tok`` is part of, read from the token's IOB tags: asking ``doc.ents``
    builds every entity of the document, once per call."""
    if tok.ent_type_ != label:
        return None
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _is_person_root(tok: Token) -> bool:
    """Is ``tok`` the head word of a PERSON entity?"""
    person = _entity_of(tok, "PERSON")
    return person is not None and person.root.i == tok.i


def _organisation(tok: Token) -> list[Token]:
    """"the Central Committee for Drug Abuse Control said": a body's whole name, not its head words."""
    ent = _entity_of(tok, "ORG")
    words = [t for t in ent if not t.is_punct] if ent is not None else []
    while words and words[0].dep_ == "det":
        words.pop(0)
    return words if len(words) > 1 and all(t.is_alpha for t in words) else []


def _is_title(language: Language, tok: Token) -> bool:
    return tok.text.lower().rstrip(".") in language.words("titles")


def _proper_appos(head: Token) -> Token | None:
    """The name in apposition to a description: "police chief Sao Bun" parsed as chief <- Bun."""
    return next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)


def _role_before(language: Language, head: Token, appos: Token) -> str | None:
    """The description a name stands in apposition to, as stated."""
    tokens = [t for t in subtree(head) if t.i < appos.left_edge.i]
    while tokens and (tokens[0].dep_ == "det" or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and (tokens[-1].is_punct or _is_rank(language, tokens[-1])):
        tokens.pop()
    return head.doc[tokens[0].i:tokens[-1].i + 1].text if tokens else None


def _role(language: Language, head: Token, name: list[Token]) -> str | None:
    """The role as stated: an appositive, else the words before the name in its phrase."""
    for child in head.children:
        if child.dep_ == "appos" and not _is_person_root(child):
            return _phrase(child)
    if not name:
        return None
    after = name[-1].i + 1
    if after < len(head.doc) and head.doc[after].text == ",":
        # "X, the official newspaper of Y": the parser may hang the appositive elsewhere
        for tok in head.doc[after + 1:min(after + 12, len(head.doc))]:
            if tok.dep_ == "appos" and tok.left_edge.i == after + 1 and not _is_person_root(tok):
                return _phrase(tok)
    before = [t for t in subtree(head) if t.i < name[0].i and t.dep_ not in ("det", "punct", "case")
              and t.head.i >= t.i]
    while before and _is_rank(language, before[-1]):
        before.pop()
    if not before or before[-1].i != name[0].i - 1 - _rank_gap(language, head.doc, before[-1].i, name[0].i):
        return None
    return head.doc[before[0].i:before[-1].i + 1].text.strip(" ,") or None


def _is_rank(language: Language, tok: Token) -> bool:
    return tok.text.lower().rstrip(".") in language.words("ranks")


def _rank_gap(language: Language, doc: Doc, last: int, name_start: int) -> int:
    """How many rank tokens stand between the role's last word and the name."""
    return sum(1 for i in range(last + 1, name_start) if _is_rank(language, doc[i]))


def _phrase(tok: Token) -> str:
    """A token's subtree as text, without a leading determiner or trailing punctuation."""
    tokens = subtree(tok)
    while tokens and (tokens[0].dep_ == "det" or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens:
        return tok.text
    return tok.doc[tokens[0].i:tokens[-1].i + 1].text


def _chunk(tok: Token) -> str:
    """A noun and its modifiers to the left, without a determiner: "customs news site"."""
    left = [t for t in subtree(tok) if t.i <= tok.i and t.dep_ not in ("det", "punct", "poss", "case")]
    first = next((t for t in left if all(u.i <= tok.i for u in subtree(t))), tok)
    return tok.doc[first.i:tok.i + 1].text


def _in_charge(language: Language, tok: Token) -> str:
    """" in charge of the case" after a description: part of who the speaker is."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.i > tok.i and prep.lower_ in language.words("in_charge") and any(
                c.lower_ in language.words("charge_nouns") for c in prep.children):
            words = subtree(prep)
            return " " + tok.doc[words[0].i:words[-1].i + 1].text
    return ""


def _issuer(language: Language, document: Token) -> Speaker | None:
    """The organisation or person a report or statement is "by" or "from" ("released by the NACD")."""
    for tok in subtree(document):
        if tok.i == document.i or tok.pos_ != "PROPN":
            continue
        words = _organisation(tok) or _name_tokens(language, tok) or [tok]
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        name = re.sub(r"\s*\(.*$", "", document.doc.text[start:end]).strip(" ,")  # "(NACD)" is its short form
        return Speaker(name, None, (start, start + len(name)))
    return None


def _description_nouns(language: Language, name: str) -> list[str]:
    """The words of a described speaker before its postmodifier: "police officer in charge of ..." -> police, officer."""
    words = [w.lower() for w in words_of(name)]
    cut = next((i for i, w in enumerate(words) if w in language.words("postmodifier_prepositions")), len(words))
    return [w.rstrip("s") if w.endswith("s") and w[:-1] in language.words("role_nouns") else w for w in words[:cut]]


def _postmodifier(language: Language, tok: Token) -> str:
    """" in Tonpheung district", " of the zone" after an unnamed speaker ("an official in Tonpheung district"):
    the words that say which one, up to a comma."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.i == tok.i + 1 and prep.lower_ in language.words("postmodifier_prepositions"):
            words = [t for t in subtree(prep) if not any(p.is_punct for p in tok.doc[prep.i:t.i + 1])]
            if len(words) > 1:
                return " " + tok.doc[words[0].i:words[-1].i + 1].text
    return ""


def _subject(language: Language, verb: Token) -> Token | None:
    """The subject of a speech verb, looking through coordination and "according to"."""
    if verb.lower_ in language.words("according_words"):
        for prep in verb.children:
            if prep.dep_ == "prep":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        return obj
        return None
    current: Token | None = verb
    while current is not None:
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if current.dep_ in ("conj", "xcomp", "advcl") and current.head.i != current.i:
            current = current.head
        else:
            current = None
    return None


class SpeakerResolver:
    """Turns subjects of speech verbs into speakers, keeping the last speaker for pronouns."""

    def __init__(self, language: Language, parsed: Doc, names: _Names, passages: list[Passage]) -> None:
        self.language = language
        self.parsed = parsed
        self._starts: list[int] = parsed.to_array("IDX").tolist()  # each token's first character, rising
        self.names = names
        self.passages = passages
        self.history: list[tuple[int, Speaker]] = []

    def last(self, position: int, singular: bool = False) -> Speaker | None:
        """The most recent speaker attributed before ``position``; for "he" or "she", not a plural one."""
        earlier = [s for p, s in self.history if p < position and not (singular and self._plural(s))]
        return earlier[-1] if earlier else None

    def _plural(self, speaker: Speaker) -> bool:
        """Is the head noun of the mention that named a speaker plural ("the three detained porters",
        "34 containers of the drug")?"""
        start, end = speaker.mention
        tokens = list(self.parsed[bisect_left(self._starts, start):bisect_left(self._starts, end)])
        heads = [t for t in tokens if not start <= t.head.idx < end or t.head.i == t.i]
        return bool(heads) and heads[0].pos_ == "NOUN" and heads[0].morph.get("Number", []) == ["Plur"]

    def speaker(self, subject: Token, position: int) -> Speaker | None:
        """Who a subject token names, as a full name or a description."""
        if subject.lower_ in self.language.words("pronouns") or subject.pos_ == "PRON":
            if subject.lower_ in self.language.words("first_person_pronouns"):
                return None
            singular = subject.morph.get("Number", []) == ["Sing"]
            return self._newer_subject(position) or self.last(position, singular) or self._last_person(position)
        name = _name_tokens(self.language, subject) or _misread_first_name(subject)
        appos = _proper_appos(subject) if not name else None
        if appos is not None:
            name = _name_tokens(self.language, appos)
        if subject.ent_type_ == "ORG":
            name = _organisation(subject) or name
        if name:
            words = tuple(t.text for t in name)
            full = self.names.resolve(words, name[0].idx)
            # "Police Major General Anan Chaiya told reporters": later "Anan said" is the same man.
            self.names.add(name[0].idx, tuple(full.split()))
            role = _role_before(self.language, subject, appos) if appos is not None else _role(self.language, subject, name)
            if role:
                self.names.roles.setdefault(full, role)
            start, end = name[0].idx, name[-1].idx + len(name[-1].text)
            return Speaker(full, role or self.names.roles.get(full), (start, end))
        if subject.lemma_.lower() in self.language.words("document_nouns"):
            return _issuer(self.language, subject)  # "A report released by the NACD said ...": the body behind it, else nobody
        if subject.lemma_.lower() in self.language.words("speaker_people_nouns") and any(c.dep_ == "nummod" for c in subject.children):
            return None  # "two suspects told police that ...": people counted, nobody named
        return self._description(subject, position)

    def _description(self, subject: Token, position: int) -> Speaker:
        """A body named by description: an earlier speaker sharing a word, else the phrase."""
        target = subject
        if subject.lemma_.lower() in self.language.words("container_nouns"):
            for prep in subject.children:
                if prep.dep_ == "prep" and prep.lower_ in self.language.words("of_prepositions"):
                    target = next((c for c in prep.children if c.dep_ == "pobj"), subject)
        head = target.lemma_.lower()
        definite = any(c.dep_ == "det" and c.lower_ in self.language.words("definite_determiners") for c in target.children)
        plural = target.morph.get("Number", []) == ["Plur"]
        if definite and (head in self.language.words("role_nouns") or _is_rank(self.language, target)) and not plural and not any(
                c.dep_ in ("amod", "compound", "prep", "poss", "nmod", "appos") for c in target.children):
            # "the official added", "the resident said": the one just described or named, not a new speaker.
            described = next((s for _, s in reversed(self.history) if head in _description_nouns(self.language, s.name)), None)
            last = self.last(position)
            earlier = described or (last if last and last.name[:1].isupper() else None)
            if earlier is not None:
                return earlier
        after = _in_charge(self.language, target) or ("" if definite else _postmodifier(self.language, target))
        phrase = _chunk(target) + after
        own = {w.lower() for w in words_of(phrase)} - self.language.words("name_stop_words")
        for _, earlier in reversed(self.history):
            theirs = {w.lower() for w in words_of(f"{earlier.name} {earlier.role or ''}")} - self.language.words("name_stop_words")
            # "provincial forces could not say": many people are not the one official whose role shares a word
            if own & theirs and not plural and head not in ("police", "officer", "official", "resident", "source"):
                return earlier
        start = target.left_edge.idx if target.left_edge.i <= target.i else target.idx
        return Speaker(phrase, None, (start, target.idx + len(target.text) + len(after)))

    def _newer_subject(self, position: int) -> Speaker | None:
        """"Choub Sok Chamroeun, executive director of Khana, welcomed the results." + ""We should praise
        them," he said.": a person named after the last speaker, as the subject of a sentence of their own,
        is who "he" is."""
        spoken = max((p for p, _ in self.history if p < position), default=-1)
        earlier = [(seen, words) for seen, words in self.names.full if spoken < seen < position]
        if not earlier:
            return None
        for seen, words in sorted(earlier, key=lambda item: -item[0]):
            at = bisect_left(self._starts, seen)
            token = self.parsed[at] if at < len(self._starts) else None
            while token is not None and token.dep_ in ("compound", "flat", "nmod") and token.head.i != token.i:
                token = token.head
            if token is None or token.dep_ not in ("nsubj", "nsubjpass") or inside_passage(token.idx, self.passages) \
                    or token.ent_type_ not in ("PERSON", "") or token.sent.start_char <= spoken \
                    or token.head.lemma_.lower() in self.language.words("speech_verbs"):
                continue  # a name in the last speaker's own attribution ("said Malai district chief Sao Bun")
            full = self.names.resolve(words, seen)
            last = self.last(position)
            if last is not None and last.name == full:
                return None
            return Speaker(full, self.names.roles.get(full), (seen, seen + len(" ".join(words))))
        return None

    def _last_person(self, position: int) -> Speaker | None:
        """The last name mentioned before ``position`` when nobody has spoken yet."""
        earlier = [(seen, words) for seen, words in self.names.full if seen < position]
        if not earlier:
            return None
        seen, words = max(earlier, key=lambda item: item[0])
        full = self.names.resolve(words, seen)
        return Speaker(full, self.names.roles.get(full), (seen, seen + len(" ".join(words))))


_NOT_NAMES = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "ORDINAL", "MONEY",
                        "QUANTITY", "PERCENT"})


def collect_names(language: Language, parsed: Doc, doc: Document, passages: list[Passage]) -> _Names:
    """Every person or organisation name in the document outside quotation marks."""
    names = _Names()
    for ent in parsed.ents:
        if ent.label_ not in ("PERSON", "ORG") or doc.is_furniture(ent.start_char, ent.end_char):
            continue
        if inside_passage(ent.start_char, passages):
            continue
        tokens = _name_tokens(language, ent.root)
        tokens = [t for t in tokens if ent.start <= t.i < ent.end]
        if tokens:
            names.add(ent.start_char, tuple(t.text for t in tokens))
    for tok in parsed:
        # "Pol Maj Gen Thanakorn Sirirat": a surname the gazetteer takes for a place is still a name.
        if tok.ent_type_ in _NOT_NAMES and not any(c.dep_ == "compound" and c.ent_type_ == "PERSON"
                                                   for c in tok.children):
            continue
        if tok.dep_ in ("nsubj", "nsubjpass", "pobj", "appos") and tok.pos_ == "PROPN":
            found = _name_tokens(language, tok)
            if found and not inside_passage(tok.idx, passages) and not doc.is_furniture(tok.idx, tok.idx + 1):
                names.add(found[0].idx, tuple(t.text for t in found))
    return names


def find_attributions(language: Language, parsed: Doc, doc: Document, passages: list[Passage],
                      resolver: SpeakerResolver) -> list[Attribution]:
    """Speech verbs outside quotation marks, in order, each with its resolved speaker."""
    out = []
    for tok in parsed:
        is_verb = tok.lemma_.lower() in language.words("speech_verbs") and tok.pos_ in ("VERB", "AUX")
        is_according = tok.lower_ in language.words("according_words") and tok.i + 1 < len(parsed) \
            and parsed[tok.i + 1].lower_ in language.words("according_particles")
        if not (is_verb or is_according):
            continue
        if inside_passage(tok.idx, passages) or doc.is_furniture(tok.idx, tok.idx + len(tok.text)):
            continue
        subject = _subject(language, tok)
        speaker = resolver.speaker(subject, tok.idx) if subject is not None else None
        if subject is None or (subject.pos_ != "PROPN" and subject.lower_ not in language.words("pronouns")
                               and subject.pos_ != "PRON") or (subject.pos_ == "PROPN" and _is_title(language, subject)):
            speaker = _name_after_verb(language, doc.text, tok, resolver.names) or _name_before_verb(
                language, tok, resolver.names) or speaker
        if speaker is not None:
            resolver.history.append((tok.idx, speaker))
        out.append(Attribution(tok, speaker))
    return out


# '..., said Maj-Gen Tun Lwin Oo.': capitalised words after a speech verb that follows a quote.
_NAME_AFTER = re.compile(r"^\s+((?:[A-Z][\w'’.-]*\s+){0,6}[A-Z][\w'’-]*)\s*(?=[.,;]|$)")
_QUOTE_CLOSED = re.compile(r"[”\"’],?\s*$")


def _name_after_verb(language: Language, text: str, verb: Token, names: _Names) -> Speaker | None:
    """The speaker named after an inverted speech verb, for names the parser does not tag."""
    if not _QUOTE_CLOSED.search(text[max(0, verb.idx - 4):verb.idx]):
        return None
    after = verb.idx + len(verb.text)
    m = _NAME_AFTER.match(text[after:after + 80])
    if m is None:
        return None
    words = m.group(1).split()
    while words and all(part.lower().rstrip(".") in language.words("titles") for part in words[0].split("-")):
        words.pop(0)
    if not words:
        return None
    start = after + m.start(1) + m.group(1).index(words[0])
    full = names.resolve(tuple(words), start)
    return Speaker(full, names.roles.get(full), (start, after + m.end(1)))


def _name_before_verb(language: Language, verb: Token, names: _Names) -> Speaker | None:
    """'... found 34 containers, Meas Vyrith, secretary general of the NACD, told RFA.': the person set off
    by commas just before a sentence-final speech verb, with the role between them, is the speaker."""
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text != ",":
        return None
    segments: list[list[Token]] = []
    current: list[Token] = []
    for tok in reversed(doc[verb.sent.start:verb.i - 1]):
        if tok.text != ",":
            current.insert(0, tok)
            continue
        segments.append(current)
        current = []
        if len(segments) == 2:
            break
    segments.append(current)
    for index, segment in enumerate(segments[:2]):
        words = [t for t in segment if not _is_title(language, t)]
        if not words or not all(t.pos_ == "PROPN" and t.is_alpha for t in segment) or not any(
                t.ent_type_ == "PERSON" for t in words):
            continue
        full = names.resolve(tuple(t.text for t in words), words[0].idx)
        role = " ".join(t.text for t in segments[0]).strip() if index == 1 and segments[0] else None
        return Speaker(full, role or names.roles.get(full), (words[0].idx, words[-1].idx + len(words[-1].text)))
    return None
