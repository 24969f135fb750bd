"""What Japanese reports say people said: 「」 quotes, reported speech ("Xは、…と述べた",
"Xによると、…という") and the trafficking routes somebody states ("ラオスは…タイやベトナムへ運ばれる
中継地"). The Japanese pack's own quote and flow rules; the place words they share
with the event rules (から, へ, 経由) are read by ``rules.role_after``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from borderwatch.extract.context import country_mentions
from borderwatch.extract.items import is_goods
from borderwatch.extract.units import find_quantities
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.lang.ja.rules import is_elsewhere, role_after
from borderwatch.model import Commodity, Document, Quote, QuoteKind, Span

# Quotes: 「…」 passages, the speech verb after them, the speaker phrase before は.
_SPEECH = (r"述べ|語っ|語り|語る|話し|話す|強調|指摘|説明|明らかに|訴え|伝え|報じ|警告|コメント|呼びかけ|答え|"
           r"発言|付け加え|明かし|主張|表明|供述|証言|みてい|みて|考えてい|としてい")
_SAID_AFTER = re.compile(rf"^(?:などと|とも|とし|と)、?(?P<who>[^「」。]{{0,30}}?)(?:は|が)?(?:{_SPEECH})")
_THUS = re.compile(rf"こう(?:{_SPEECH})")
_REPORTED = re.compile(rf"(?:と|だと|とし)(?:{_SPEECH})")
_ACCORDING = re.compile(r"(?P<who>[^、。「」]{2,40}?)によると、")
_HEARSAY = re.compile(r"(?:という|とのこと|としている|とされる)。?$")
_SPEAKER_END = (r"(?:[\u30a1-\u30faー]|[A-Z]|）|長|官|者|氏|さん|紙|版|局|省|庁|署|警察|当局|政府|委員会|部隊|隊|"
                r"代表|社|新聞|通信|機関|研究所|大使館|大使|団体|組織|機構|司令部|裁判所|税関|男|女|大臣|相|知事|"
                r"首相|統領|議員|検事|判事|次官|主任|幹部|教授|専門家|軍|公安|所|会|部|課|院)")
_SUBJECT = re.compile(rf"(?P<who>[^、。「」]{{0,60}}?{_SPEAKER_END})(?:は|が)")
_TITLE = re.compile(r"(?:副|次席|首席)?(?:事務局長|本部長|局長|長官|大臣|知事|署長|所長|部長|課長|隊長|司令官|報道官|"
                    r"広報官|代表|議長|委員長|首相|大統領|大使|検事|判事|次官|社長|会長|担当者|幹部|院長|主任|長|官|"
                    r"氏|さん|容疑者|被告)$")
_NAME = re.compile(r"[\u30a1-\u30faー]{2,}(?:[・＝=][\u30a1-\u30faー]+)*")
_TERM_AFTER = re.compile(r"^(?:という|と呼ばれ|と題|と名付け|と書か|の(?!ように))")
MIN_QUOTE_CHARS = 8

# Flows: movement, a one-off shipment, a transit country, and regions that are not countries.
_MOVEMENT = re.compile(r"密輸|密売|運ば|運び|運ん|運搬|輸送|流入|流れ|流出|持ち込|持ち出|送ら|送り込|中継|経由|"
                       r"ルート|経路|出荷|輸出|輸入|入って|渡って|越えて|向け|供給|取引|売買")
_ONE_SHIPMENT = re.compile(r"疑い|とみて|とみられ|みている|予定|ようと|そうと|容疑")
_TRANSIT = re.compile(r"中継地|中継点|中継拠点|経由地|通過点|通り道|玄関口|密輸ルート|輸送ルート|ルートに")
_REGION = re.compile(r"アフリカ|南米|中南米|欧州|ヨーロッパ|中東|黄金の三角地帯|ゴールデン・?トライアングル|アジア")
_COMMODITY_WORDS: tuple[tuple[Commodity, re.Pattern[str]], ...] = (
    ("drugs", re.compile(r"薬物|麻薬|覚醒剤|覚せい剤|ヤーバー|ヘロイン|ケタミン|大麻|アヘン|コカイン|前駆体|アイス")),
    ("timber", re.compile(r"木材|紫檀|ローズウッド|丸太|角材|材木|伐採")),
    ("wildlife", re.compile(r"センザンコウ|象牙|サイの角|野生動物|うろこ|トラの|クマの")),
)
_LIST = re.compile(r"^(?:や|、|と|および|及び|・)$")
_ATTRIBUTION = re.compile(r"(?:」?(?:と|などと|とも)[^「」、。]{0,20}?(?:述べ|話し|語っ|説明し?|強調し?|指摘し?|警告し?|"
                          r"明らかにし|伝え|報じ)(?:た|ている)?(?:うえで、?)?|という|とのこと|とされる|とみられる)$")


@dataclass(frozen=True)
class _Speaker:
    """Who said it: the name as written, the role around it, and where the name stands."""

    name: str
    role: str | None
    start: int
    end: int


def extract_quotes(doc: Document) -> list[Quote]:
    """Direct quotes (「…」 passages that state something) and reported speech ("Xは、…と述べた",
    "Xによると、…という") of a Japanese report, each with its speaker."""
    text = doc.text
    history: list[_Speaker] = []
    found: list[tuple[int, int, QuoteKind, _Speaker | None, float]] = []
    passages = _passages(doc)
    guessed: list[int] = []  # quotes of the sentence before whose speaker was only the last one
    for s_start, s_end in _sentences(doc):
        inner = [p for p in passages if s_start <= p[0] and p[1] <= s_end]
        opened = _subject(text, s_start, inner[0][0] - 1 if inner else s_end, history)
        subject = opened[0] if opened else None
        spoken: list[_Speaker] = []
        if subject and _THUS.search(text, s_start, s_end):  # "「…」。X氏はこう語った。" / "X氏はこう話す。「…」"
            for i in guessed:
                found[i] = (*found[i][:3], subject, 0.8)
            spoken.append(subject)
        first = len(found)
        for start, end in inner:
            after = text[end + 1:s_end]
            if not _is_statement(text[start:end]) or _TERM_AFTER.match(after):
                continue
            said = _SAID_AFTER.match(after)
            who = _speaker(text, end + 1 + said.start("who"), end + 1 + said.end("who"), history) if said and \
                len(said.group("who").strip("、 ")) >= 2 else None
            speaker = who or subject or (history[-1] if history else None)
            body_end = end - 1 if text[end - 1] == "。" else end
            found.append((start, body_end, "direct", speaker,
                          0.8 if said and (who or subject) else 0.5 if speaker else 0.3))
            spoken.extend([speaker] if speaker else [])
        guessed = [i for i in range(first, len(found)) if found[i][4] < 0.8]
        reported = _reported(text, s_start, s_end, inner, opened, history)
        if reported:
            found.append(reported)
            spoken.extend([reported[3]] if reported[3] else [])
        history.extend(spoken)
    return [_quote(doc, n, start, end, kind, speaker, confidence)
            for n, (start, end, kind, speaker, confidence) in enumerate(sorted(found, key=lambda f: f[0]), 1)]


def _reported(text: str, s_start: int, s_end: int, inner: list[tuple[int, int]],
              opened: tuple[_Speaker, int] | None, history: list[_Speaker]
              ) -> tuple[int, int, QuoteKind, _Speaker | None, float] | None:
    """"Xは、…と明らかにした" or "Xによると、…という": the reported content and its speaker."""
    sentence = text[s_start:s_end]
    if any(_is_statement(text[p[0]:p[1]]) for p in inner):
        return None
    according = _ACCORDING.search(sentence)
    if according:
        speaker = _speaker(text, s_start + according.start("who"), s_start + according.end("who"), history)
        hearsay = _HEARSAY.search(sentence)
        end = s_start + (hearsay.start() if hearsay else len(sentence.rstrip("。 ")))
        return s_start + according.end(), end, "reported", speaker, 0.6
    verbs = list(_REPORTED.finditer(sentence))
    if opened is None or not verbs:
        return None
    subject, after_subject = opened
    comma = sentence.find("、", after_subject - s_start)
    if comma < 0 or comma > verbs[-1].start():
        return None
    start, end = s_start + comma + 1, s_start + verbs[-1].start()
    return (start, end, "reported", subject, 0.6) if end - start >= MIN_QUOTE_CHARS else None


def _is_statement(words: str) -> bool:
    """A passage that says something, not a term in quotation marks (「運び屋」, 「黄金の三角地帯」)."""
    body = words.rstrip("。")
    return len(body) >= MIN_QUOTE_CHARS and bool(re.search(r"[、。]", words) or re.search(r"[\u3041-\u3093]$", body))


def _subject(text: str, start: int, end: int, history: list[_Speaker]) -> tuple[_Speaker, int] | None:
    """The speaker a sentence opens with ("…のペイ・レアクスメイ副本部長は"), and where its は ends."""
    m = _SUBJECT.search(text, start, max(start, end))
    if m is None:
        return None
    return _speaker(text, m.start("who"), m.end("who"), history), m.end()


def _speaker(text: str, start: int, end: int, history: list[_Speaker]) -> _Speaker:
    """Split "薬物犯罪を担当するストゥントレン州警察のペイ・レアクスメイ副本部長" into name and role;
    "同局長", "同氏" or a bare title refer to the last speaker with that title."""
    phrase = text[start:end].strip("、 ")
    start = text.find(phrase, start)
    cut = phrase.rfind("の")
    organisation, tail = (phrase[:cut], phrase[cut + 1:]) if cut > 0 else ("", phrase)
    organisation = re.split(r"[\u3041-\u3093]", organisation)[-1]
    tail_start = start + len(phrase) - len(tail)
    if _is_title(tail.removeprefix("同")) or (tail.startswith("同") and len(tail) <= 6):
        title = tail.removeprefix("同")
        earlier = next((s for s in reversed(history) if s.role and s.role.endswith(title)), None)
        if earlier is not None or (tail.startswith("同") and history):
            return earlier or history[-1]
    name = _NAME.search(tail)
    if name and name.start() == 0 and (name.end() == len(tail) or _is_title(tail[name.end():])):
        return _Speaker(name.group(0), (organisation + tail[name.end():]) or None, tail_start,
                        tail_start + name.end())
    if name and name.start() > 0:  # "機関紙ハイクアン（税関）電子版": the name from the katakana on
        return _Speaker(tail[name.start():], (organisation + tail[:name.start()]) or None,
                        tail_start + name.start(), tail_start + len(tail))
    rank = _TITLE.search(tail)
    if rank and rank.start() < 2:  # "CCDACの幹部": an unnamed official is known by the body and the title
        return _Speaker(phrase, None, start, start + len(phrase))
    core = tail[:rank.start()] if rank else tail
    return _Speaker(core, (organisation + tail) if organisation else None, tail_start, tail_start + len(core))


def _is_title(words: str) -> bool:
    return bool(words) and _TITLE.fullmatch(words) is not None


def _quote(doc: Document, n: int, start: int, end: int, kind: QuoteKind, speaker: _Speaker | None,
           confidence: float) -> Quote:
    evidence = [Span(doc.id, start, end, doc.text[start:end], "text")]
    if speaker is not None:
        evidence.append(Span(doc.id, speaker.start, speaker.end, doc.text[speaker.start:speaker.end], "speaker"))
    return Quote(id=f"{doc.id}#q{n}", doc_id=doc.id, speaker=speaker.name if speaker else None, kind=kind,
                 text=doc.text[start:end], role=speaker.role if speaker else None, confidence=confidence,
                 evidence=tuple(evidence))


def _body_lines(doc: Document) -> list[tuple[int, int]]:
    """Lines of running prose (they end a sentence), furniture left out."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", doc.text)
            if not doc.is_furniture(m.start(), m.end()) and re.search(r"[。」]\s*$", m.group(0))
            and len(m.group(0).strip()) >= 20]


def _passages(doc: Document) -> list[tuple[int, int]]:
    """Inner spans of the outermost 「…」 pairs on body lines."""
    out: list[tuple[int, int]] = []
    for line_start, line_end in _body_lines(doc):
        depth, opened = 0, 0
        for i in range(line_start, line_end):
            char = doc.text[i]
            if char == "「":
                depth += 1
                opened = i + 1 if depth == 1 else opened
            elif char == "」" and depth:
                depth -= 1
                if depth == 0:
                    out.append((opened, i))
    return out


def _sentences(doc: Document) -> list[tuple[int, int]]:
    """Sentences of body lines, split at 。 outside quotation marks."""
    out: list[tuple[int, int]] = []
    for line_start, line_end in _body_lines(doc):
        depth, start = 0, line_start
        for i in range(line_start, line_end):
            char = doc.text[i]
            depth += (char == "「") - (char == "」" and depth > 0)
            if char == "。" and depth == 0:
                out.append((start, i + 1))
                start = i + 1
        if doc.text[start:line_end].strip():
            out.append((start, line_end))
    return out


@dataclass(frozen=True)
class _Mention:
    """A country (or a place standing for its country) in a sentence, and its role there."""

    start: int
    end: int
    code: str
    role: str


def flow_directions(doc: Document, gazetteer: Gazetteer) -> list[tuple[str, list[str], tuple[int, int], Commodity]]:
    """(origin, destinations, evidence span, commodity) for each general route a Japanese report states:
    "ミャンマーから流入", "タイやベトナム、カンボジアへ運ばれる中継地", "マレーシアへ運ばれている".
    A sentence with an amount of goods, or about one shipment ("疑い", "予定", "とみている"), is not a route."""

    home = _home_country(doc, gazetteer)
    main = _commodity_of(" ".join(doc.text[s:e] for s, e in _body_lines(doc)))
    out: list[tuple[str, list[str], tuple[int, int], Commodity]] = []
    for line_start, line_end in _body_lines(doc):
        for m in re.finditer(r"[^。]+。?", doc.text[line_start:line_end]):
            start, text = line_start + m.start(), m.group(0)
            if not _MOVEMENT.search(text) or _ONE_SHIPMENT.search(text) or _is_past(text) or any(
                    is_goods(q) for q in find_quantities(text)):
                continue
            commodity = _commodity_of(text) or _commodity_of(doc.text[line_start:line_end]) or main
            if commodity is None:
                continue
            span = (start, start + len(text.rstrip()))
            out.extend((o, d, span, commodity) for o, d in _routes(text, _mentions(text, gazetteer), home))
    return out


def _is_past(text: str) -> bool:
    """Does a statement, its attribution set aside, end in the past ("タイに向かっていた"): one trip,
    not a route that goes on ("運ばれている", "後を絶たない")?"""
    statement = _ATTRIBUTION.sub("", text.rstrip("。 "))
    return bool(re.search(r"(?:た|ていた|だった)[」]?$", statement))


def _commodity_of(text: str) -> Commodity | None:
    """The commodity Japanese words name, most mentions first."""
    counts = Counter({name: len(pattern.findall(text)) for name, pattern in _COMMODITY_WORDS})
    name, hits = counts.most_common(1)[0]
    return name if hits else None


def _mentions(text: str, gazetteer: Gazetteer) -> list[_Mention]:
    """Countries and provinces of a sentence with their role there (see ``rules.role_after``)."""
    spans = [(c.start, c.end, c.code) for c in country_mentions(text)]
    spans += [(m.start, m.end, m.place.country) for m in gazetteer.find(text) if m.place.kind != "country"
              and not any(s < m.end and m.start < e for s, e, _ in spans)]
    out = [_Mention(start, end, code, role_after(text, end)) for start, end, code in sorted(spans)]
    for i in range(len(out) - 2, -1, -1):  # "タイやベトナム、カンボジアへ": the list shares its last role
        if out[i].role == "other" and _LIST.match(text[out[i].end:out[i + 1].start]):
            out[i] = _Mention(out[i].start, out[i].end, out[i].code, out[i + 1].role)
    return out


def _routes(text: str, mentions: list[_Mention], home: str | None) -> list[tuple[str, list[str]]]:
    """Origin -> destinations for one sentence's mentions: a transit topic to every destination; each
    destination (or list of them) from the places just before it, else from a source named after it,
    else from the report's own country; a source to the transit countries after it ("ミャンマーで製造…
    ラオスを経由"), else to the report's own country ("ミャンマーから流入")."""
    chains: list[list[_Mention]] = []  # "タイやベトナム、カンボジア": one list, one role
    for m in mentions:
        if chains and chains[-1][-1].role == m.role and _LIST.match(text[chains[-1][-1].end:m.start]):
            chains[-1].append(m)
        else:
            chains.append([m])
    out: list[tuple[str, list[str]]] = []
    used: set[int] = set()
    transit = next((m for m in mentions if m.role == "topic"), None) if _TRANSIT.search(text) else None
    targets = [i for i, chain in enumerate(chains) if chain[0].role == "to"]
    if transit is not None and targets:
        out.append((transit.code, [m.code for i in targets for m in chains[i]]))
        used.add(transit.start)
        targets = []
    for i in targets:
        codes = [m.code for m in chains[i]]
        sources = [m for m in chains[i - 1] if m.code not in codes] if i else []
        if sources and sources[-1].role not in ("from", "via") and _REGION.search(
                text[sources[-1].end:chains[i][0].start]):
            continue  # "ベトナムで押収される…大半はアフリカ産で、中国向け": the source is a region
        later = [m for m in mentions if m.role == "from" and m.start > chains[i][-1].end][:1]
        sources = sources or later
        used.update(m.start for m in sources)
        if sources:
            out.extend((m.code, codes) for m in sources)
        elif home and not _REGION.search(text[:chains[i][0].start]):
            out.append((home, codes))
    for origin in (m for m in mentions if m.role == "from"):
        onward = [m.code for m in mentions if m.start > origin.start and m.role == "via" and m.code != origin.code]
        target = onward or ([home] if home and home != origin.code and origin.start not in used else [])
        if target:
            out.append((origin.code, target))
    return out


def _home_country(doc: Document, gazetteer: Gazetteer) -> str | None:
    """The country the report's provinces lie in, else the one it names most."""
    provinces: Counter[str] = Counter()
    named: Counter[str] = Counter()
    for line_start, line_end in _body_lines(doc):
        line = doc.text[line_start:line_end]
        provinces.update(m.place.country for m in gazetteer.find(line) if m.place.kind == "admin1"
                         and not is_elsewhere(line, m.end))
        named.update(c.code for c in country_mentions(line))
    for counts in (provinces, named):
        if counts:
            return counts.most_common(1)[0][0]
    return None
