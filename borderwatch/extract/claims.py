"""Quotes and stated flows of reports that have no parse: passages in the pack's quotation marks,
their speaker from the pack's speech patterns (before the passage: "X cho biết: “…”", after it:
"“…” X กล่าว", or a paragraph of its own ending in a colon just before the quote's paragraph), a
pronoun or bare title as the speaker ("លោកបាននិយាយ", "ông cho biết") read as the last speaker or,
before anyone has spoken, the last name the text gives with a title; a passage with no attribution
credited to the last named speaker; flows from
sentences that move goods between countries the pack's from/to markers name. A pack with rules
of its own for these (Japanese) is read by them instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from borderwatch.extract.context import country_mentions
from borderwatch.extract.items import is_goods
from borderwatch.extract.lexicon import find_substances
from borderwatch.extract.patterns import role_of
from borderwatch.extract.units import find_quantities
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang import Language
from borderwatch.model import Commodity, Document, Quote, Span

_MIN_WORDS = 4
_LOOK_BEFORE = 160
_LOOK_AFTER = 120
_SPACELESS = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_TERM_CHARS = 10
_SPOKEN_CHARS = 40
_SHIPMENT_NEAR = 60
_INNER_PUNCT = re.compile(r"[,，、;；:：.!?。！？…]")
_SENTENCE_BREAK = re.compile(r"[.!?。។]\s|\n")
_COLONS = (":", "：", "៖")
COMMODITIES: tuple[Commodity, ...] = ("drugs", "timber", "wildlife")  # in the order a tie between them is broken
_TITLE_CHARS = 16  # how far before a speaker's name its title may start
_NAME_CHARS = 4  # a name written without spaces after a title has at most four characters ("郭宝", "欧阳明远")


@dataclass(frozen=True)
class _Speaker:
    name: str
    start: int
    end: int
    role: str | None = None


def extract_quotes(language: Language, doc: Document) -> list[Quote]:
    """Direct quotes (passages in quotation marks) and their speakers."""
    own = language.rules.get("extract_quotes")
    if own:
        return own(doc)  # type: ignore[no-any-return]
    return read_quotes(language, doc)


def read_quotes(language: Language, doc: Document) -> list[Quote]:
    """``extract_quotes`` from the pack's quote marks and speech patterns alone (what a pack's own rule
    falls back on)."""
    text = doc.text
    last: _Speaker | None = None
    out: list[Quote] = []
    passages = _passages(language, doc)
    for start, end in passages:
        if not _long_enough(text[start:end]):
            continue
        who = _speaker_before(language, text, start) or _speaker_after(language, text, end)
        speaker = _resolve(language, text, who, last, passages) if who else None
        if speaker is None and _is_term(text[start:end]):
            continue
        confidence = 0.8 if speaker else 0.4
        if speaker is None and (last is not None or _spoken(text[start:end])):
            # no attribution: the last named speaker, the one named with a title since the last quote first
            # (before anyone has spoken, only for words that read as speech, not a campaign's name)
            speaker, confidence = _named_since(language, text, last, start, passages) or last, 0.5
        evidence = [Span(doc.id, start, end, text[start:end], "text")]
        if speaker is not None:
            evidence.append(Span(doc.id, speaker.start, speaker.end, text[speaker.start:speaker.end], "speaker"))
            last = speaker
        out.append(Quote(id=f"{doc.id}#q{len(out) + 1}", doc_id=doc.id, speaker=speaker.name if speaker else None,
                         kind="direct", text=text[start:end], role=speaker.role if speaker else None,
                         confidence=confidence, evidence=tuple(evidence)))
    return out


def _long_enough(passage: str) -> bool:
    """A quote has at least four words (characters, in scripts written without spaces)."""
    spaced = [w for w in passage.split() if not _SPACELESS.search(w)]
    spaceless = sum(len(_SPACELESS.findall(w)) for w in passage.split())
    return len(spaced) + spaceless >= _MIN_WORDS


def _spoken(passage: str) -> bool:
    """Do a passage's words read as speech (a clause with punctuation inside, or a long one) rather than a
    name in quotation marks ("吸毒人员大排查大管控", "Vận chuyển trái phép chất ma túy")?"""
    return bool(_INNER_PUNCT.search(passage.rstrip(".。!?！？"))) or len(passage) >= _SPOKEN_CHARS


def _is_term(passage: str) -> bool:
    """A short quoted phrase with no attribution and no punctuation in a script without spaces
    ("蚂蚁搬家", a nickname, an operation's name) is a term in quotation marks, not speech."""
    letters = _SPACELESS.findall(passage)
    return bool(letters) and len(letters) < _TERM_CHARS and not _INNER_PUNCT.search(passage)


def _passages(language: Language, doc: Document) -> list[tuple[int, int]]:
    """Inner spans of the outermost quotation-mark pairs in the body (furniture left out)."""
    out: list[tuple[int, int]] = []
    text = doc.text
    for opening, closing in language.quote_marks:
        position = 0
        while True:
            start = text.find(opening, position)
            if start < 0:
                break
            end = text.find(closing, start + len(opening))
            newline = text.find("\n\n", start)
            if end < 0 or (0 <= newline < end):
                position = start + len(opening)
                continue
            if not doc.is_furniture(start, end) and not any(s <= start < e for s, e in out):
                out.append((start + len(opening), end))
            position = end + len(closing)
    return sorted(out)


def _speaker_before(language: Language, text: str, start: int) -> tuple[int, int] | None:
    """Where the speaker is named just before an opening quotation mark ("X cho biết:"), or in a
    paragraph of its own that ends in a colon just before the quote's."""
    window_start = max(0, start - _LOOK_BEFORE)
    breaks = list(_SENTENCE_BREAK.finditer(text, window_start, max(window_start, start - 1)))
    window_start = breaks[-1].end() if breaks else window_start
    if start and not text[window_start:start - 1].strip():
        lead = text[:window_start].rstrip()
        if lead.endswith(_COLONS):
            window_start = max(text.rfind("\n", 0, len(lead)) + 1, len(lead) - _LOOK_BEFORE)
    window = text[window_start:start - 1] if start else ""
    m = None
    for m in language.speech["before"].finditer(window):
        pass
    if m is None or m.end() < len(window.rstrip()) - 2:
        return None
    return window_start + m.start("who"), window_start + m.end("who")


def _speaker_after(language: Language, text: str, end: int) -> tuple[int, int] | None:
    """Where the speaker is named just after a closing quotation mark ("…” X กล่าว")."""
    window = text[end + 1:end + 1 + _LOOK_AFTER]
    m = language.speech["after"].match(window)
    if m is None:
        return None
    return end + 1 + m.start("who"), end + 1 + m.end("who")


def _resolve(language: Language, text: str, who: tuple[int, int], last: _Speaker | None,
             passages: list[tuple[int, int]]) -> _Speaker | None:
    """The speaker an attribution's subject names: the name itself, less the pack's auxiliaries and
    "one of" words at its edges ("ໄດ້", "ຜູ້ນຶ່ງ", "một"); for a pronoun or a bare title, or no
    subject at all, the last speaker, else the last name given with a title before it."""
    start, end = _trimmed(language, text, *who)
    named = _named(text, start, end)
    if named is not None and not language.pattern("speaker_back").fullmatch(named.name):
        opened = _after_title(language, text, named)
        return _titled(language, text, opened) if opened is named else opened
    return _named_since(language, text, last, who[0], passages) or last


def _named_since(language: Language, text: str, last: _Speaker | None, position: int,
                 passages: list[tuple[int, int]]) -> _Speaker | None:
    """"លោក អំ សំអាត ... បានលើកឡើងថា ...។ លោកថា៖ «...»": the name last given with a title between the last
    speaker's mention and ``position``, outside quotes; None when there is none."""
    found = [m for m in language.pattern("titled_name").finditer(text, last.end if last else 0, position)
             if not any(s <= m.start() < e for s, e in passages)]
    return _named(text, found[-1].start("who"), found[-1].end("who")) if found else None


def _after_title(language: Language, text: str, speaker: _Speaker) -> _Speaker:
    """"លោក មាស វីរិទ្ធ អគ្គលេខាធិការនៃ...": the name a title opens is the speaker, the words after it their role."""
    for m in language.pattern("titled_name").finditer(text, max(0, speaker.start - _TITLE_CHARS), speaker.end):
        if speaker.start in (m.start(), m.start("who")) and m.end("who") < speaker.end:
            end = speaker.end + 1 if text[speaker.end:speaker.end + 1] == ")" else speaker.end  # "(NACD)"
            role = text[m.end("who"):end].strip(" ,")
            return _Speaker(m.group("who"), m.start("who"), m.end("who"), role or speaker.role)
    return speaker


def _titled(language: Language, text: str, speaker: _Speaker) -> _Speaker:
    """"云南省公安厅副厅长郭宝": a short unspaced name after the mention's last title is the speaker,
    the words up to that name their role."""
    titles = list(language.cue("speaker_title").finditer(speaker.name))
    if not titles:
        return speaker
    cut = titles[-1].end()
    name = _named(text, speaker.start + cut, speaker.end)
    if name is None or " " in name.name or len(name.name) > _NAME_CHARS or not _SPACELESS.search(name.name):
        return speaker
    role = text[speaker.start:name.start].strip(" ,")
    return _Speaker(name.name, name.start, name.end,
                    None if language.cue("speaker_title").fullmatch(role) else role)


def _trimmed(language: Language, text: str, start: int, end: int) -> tuple[int, int]:
    """``start``-``end`` without the pack's ``speaker_trim`` words and spaces at either edge."""
    edges = _edges(language.pattern("speaker_trim").pattern)
    part = text[start:end]
    while True:
        m = edges.search(part)
        if m is None or m.start() == m.end():
            break
        if m.start() == 0:
            start += m.end()
            part = part[m.end():]
        else:
            end -= len(part) - m.start()
            part = part[:m.start()]
    return start, end


@lru_cache(maxsize=16)
def _edges(trim: str) -> re.Pattern[str]:
    """The pack's ``speaker_trim`` words or spaces at the start or the end of a text, compiled once."""
    return re.compile(rf"^(?:\s|{trim})+|(?:\s|{trim})+$")


def _named(text: str, start: int, end: int) -> _Speaker | None:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or unicodedata.category(text[end - 1]).startswith("M")
                               or (text[end - 1] in ")）" and re.search(r"[(（]", text[start:end - 1]))):
        end -= 1  # a name may end in a combining vowel or tone mark ("สมศักดิ์"), or in its romanisation's bracket
    return _Speaker(text[start:end], start, end) if end - start >= 2 else None


def flow_directions(language: Language, doc: Document,
                    gazetteer: Gazetteer) -> list[tuple[str, list[str], tuple[int, int], Commodity]]:
    """(origin, destinations, sentence span, commodity) for each general route a sentence states:
    a movement word with a country marked "from" and one marked "to", in a sentence that is not
    about one haul (no amount of goods, no one-shipment wording)."""
    own = language.rules.get("flow_directions")
    if own:
        return own(doc, gazetteer)  # type: ignore[no-any-return]
    out: list[tuple[str, list[str], tuple[int, int], Commodity]] = []
    text = doc.text
    for m in re.finditer(rf"(?:(?!{language.sentence_end}|\n).)+", text):
        sentence = m.group(0)
        if doc.is_furniture(m.start(), m.end()) or not language.cue("movement").search(sentence):
            continue
        if any(is_goods(q) for q in find_quantities(language.to_ascii_digits(sentence))):
            continue
        # A province stands for its country ("từ Lào vào Nghệ An" is Laos to Vietnam).
        named = [(c.start, c.end, c.code) for c in country_mentions(sentence)] + [
            (p.start, p.end, p.place.country) for p in gazetteer.find(sentence) if p.place.kind != "country"]
        roles = [(code, role_of(language, sentence, start, end), start, end) for start, end, code in sorted(named)]
        across = _across_border(language, sentence, roles)
        routed = [(start, end) for _, role, start, end in roles if role in ("from", "to")] or [
            (start, end) for code, role, start, end in roles if across and role == "via"]
        # One shipment's words near the route make it that haul's journey; in a long run-on sentence
        # ("ยาเสพติดจาก สปป.ลาว ถูกลำเลียงเข้าสู่ประเทศไทยไม่ขาดสาย ... ล็อตนี้") a later clause's do not.
        if not routed or language.cue("one_shipment").search(
                sentence, max(0, routed[0][0] - _SHIPMENT_NEAR), routed[-1][1] + _SHIPMENT_NEAR):
            continue
        origins = [code for code, role, _, _ in roles if role == "from"] or across[:1]
        destinations = [code for code, role, _, _ in roles if role == "to" and code not in origins] or across[1:]
        for origin in dict.fromkeys(origins):  # "from Myanmar and Laos into Thailand": one row per source
            if destinations:
                out.append((origin, list(dict.fromkeys(destinations)), (m.start(), m.end()),
                            _commodity_of(language, sentence, paragraph_at(text, m.start()), text)))
    return out


def _across_border(language: Language, sentence: str, roles: list[tuple[str, str, int, int]]) -> list[str]:
    """[origin, destination] when a sentence names a border between two countries and goods moving into one of
    them with no source marked ("泰国北部同缅甸之间的边境线,是金三角毒品流入泰国的主要通道", "ព្រំដែនឡាវ-កម្ពុជា ...
    ដឹកគ្រឿងញៀនចូលមក និងឆ្លងកាត់កម្ពុជា"): the goods come from the border's other side; else nothing."""
    if any(role == "from" for _, role, _, _ in roles) or not language.pattern("border_word").search(sentence):
        return []
    into = list(dict.fromkeys(code for code, role, _, _ in roles if role == "to")) or list(
        dict.fromkeys(code for code, role, _, _ in roles if role == "via"))
    beside = {code for code, role, _, _ in roles if role == "at"} - set(into)
    if len(into) != 1 or len(beside) != 1:
        return []
    return [beside.pop(), into[0]]


def _commodity_of(language: Language, sentence: str, paragraph: str, whole: str) -> Commodity:
    """The goods a route sentence moves: the first it names ("木材从老挝偷运入越南" is timber), else the
    goods its paragraph, then the report, names most ("ឈើមិនទាន់កែច្នៃ ... ចូលទៅវៀតណាមពីកម្ពុជា" in a
    report of rosewood hauls is timber), else drugs."""
    named = [s.commodity for s in find_substances(sentence, language) if s.commodity in COMMODITIES]
    if named:
        return named[0]
    for text in (paragraph, whole):
        counts = Counter(s.commodity for s in find_substances(text, language) if s.commodity in COMMODITIES)
        if counts:
            return counts.most_common(1)[0][0]
    return "drugs"


def paragraph_at(text: str, position: int) -> str:
    """The paragraph (text between blank lines) that ``position`` lies in."""
    start = text.rfind("\n\n", 0, position)
    end = text.find("\n\n", position)
    return text[max(start, 0):end if end >= 0 else len(text)]
