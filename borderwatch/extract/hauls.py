"""Haul grouping: which sentences and clauses of a report tell the same real-world haul."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence, sentence_dates, sentence_substances
from borderwatch.extract.items import ItemDraft, is_goods, merge, relation
from borderwatch.extract.units import find_quantities
from borderwatch.geo.gazetteer import Gazetteer

_RUN_PUNCTUATION = " \t\n,.;:，。；：、"


@dataclass
class Haul:
    """An event while its sentences are being gathered."""

    items: list[ItemDraft]
    mentions: list[Sentence]
    opener: Sentence
    context: list[Sentence] = field(default_factory=list)
    lead_in: list[Sentence] = field(default_factory=list)
    separated: bool = False


def haul_clauses(layout: Layout, gazetteer: Gazetteer, sentence: Sentence) -> list[Sentence]:
    """A sentence telling several hauls is read clause by clause, one haul to a clause: a clause begins at
    each haul's own day, at the pack's words for another case ("in another case", "อีกคดีหนึ่ง") and at its
    words for elsewhere ("meanwhile", "与此同时") followed by a place not named before them."""

    @cache
    def goods() -> list[int]:  # read once, and only for a sentence that has a date or a turn to cut at
        return [q.start for q in find_quantities(sentence.text, layout.language.decimal_comma) if is_goods(q)]

    cuts = sorted({0, *_dated_cuts(layout, sentence, goods), *_cue_cuts(layout, gazetteer, sentence, goods)})
    if len(cuts) < 2:
        return [sentence]
    out = []
    for a, b in zip(cuts, [*cuts[1:], len(sentence.text)]):
        start, end = sentence.start + a, sentence.start + b
        # Each clause keeps the whole sentence's parse: the verb that seizes ("included") may lie outside it.
        out.append(Sentence(start, end, layout.doc.text[start:end], sentence.paragraph, sentence.tokens))
    return out


def _dated_cuts(layout: Layout, sentence: Sentence, goods_at: Callable[[], list[int]]) -> list[int]:
    """Where a parsed sentence listing hauls each with its own day or month moves on to the next haul
    (``goods_at``: where the sentence's amounts of goods start)."""
    if sentence.tokens is None:
        return []
    dated = [d for d in sentence_dates(layout, sentence) if d.precision in ("day", "month")]
    if len({d.iso for d in dated}) < 2:
        return []
    goods = goods_at()
    cuts, last = [], 0
    # "In May police seized 40 kg, and in June a further 2 kg were found": a clause opens before its own date.
    for d in dated[1:]:
        begin = d.start - sentence.start
        joint = layout.language.pattern("dated_clause_before").search(sentence.text[:begin])
        if joint and any(last <= g < joint.start() for g in goods) and any(g >= begin for g in goods):
            cuts.append(joint.start())
            last = joint.start()
    if cuts:
        return cuts
    days = [d for d in dated if d.precision == "day"]
    if len({d.iso for d in days}) < 2:
        return []
    for d in days[:-1]:
        begin, stop = d.start - sentence.start, d.end - sentence.start  # the dates' offsets are the document's
        m = layout.language.pattern("next_haul").match(sentence.text, stop)
        if m is None or not m.group(0).strip(" ,") and "," not in m.group(0) or not any(
                last <= g < begin for g in goods) or not any(g >= m.end() for g in goods):
            continue
        cuts.append(m.end())
        last = m.end()
    return cuts


def _cue_cuts(layout: Layout, gazetteer: Gazetteer, sentence: Sentence,
              goods_at: Callable[[], list[int]]) -> list[int]:
    """Where a sentence turns to another case, with goods told both before and after the turn."""
    turns = [(m.start(), m.end(), False) for m in layout.language.pattern("separator").finditer(sentence.text)] + [
        (m.start(), m.end(), True) for m in layout.language.pattern("meanwhile").finditer(sentence.text)]
    if not turns:
        return []
    goods = goods_at()
    cuts, last = [], 0
    for begin, stop, elsewhere in sorted(turns):
        if begin == 0 or not any(last <= g < begin for g in goods) or not any(g >= stop for g in goods):
            continue
        if elsewhere and not _names_new_place(layout, gazetteer, sentence.text[:begin], sentence.text[begin:]):
            continue
        cuts.append(begin)
        last = begin
    return cuts


def _names_new_place(layout: Layout, gazetteer: Gazetteer, told: str, text: str) -> bool:
    """Does ``text`` name a place (beyond a country) that ``told`` does not?"""
    known = {m.place.name for m in gazetteer.find(told)}
    return any(m.place.kind != "country" and m.place.name not in known for m in gazetteer.find(text))


def already_told(events: list[Haul], sentence: Sentence, drafts: list[ItemDraft], layout: Layout) -> bool:
    """Do events found so far hold these goods: in this paragraph, or elsewhere on no other date?"""
    own = {d.iso for d in sentence_dates(layout, sentence)}
    separated = bool(layout.language.pattern("separator").search(sentence.text))
    more = _more_goods(layout, sentence, drafts)
    for event in events:
        if not any(relation(old, new) != "different" for old in event.items for new in drafts) or (
                more and not _repeats(layout, sentence, event.items, drafts)):
            continue
        if any(s.paragraph == sentence.paragraph for s in event.mentions):
            return True
        known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
        if not separated and not (own and known and not own & known):
            return True
    return False


def _repeats(layout: Layout, sentence: Sentence, items: list[ItemDraft], drafts: list[ItemDraft]) -> bool:
    """Do a sentence's items repeat amounts already told? An amount told as more goods ("later found another
    111 kilograms" after 120 kg) repeats one only with the very figure (a caption's "3.3 tonnes", then
    "seized a further 3.3 tonnes")."""
    same = [(old, new) for old in items for new in drafts if relation(old, new) == "same"]
    if not same or not _more_goods(layout, sentence, drafts):
        return bool(same)
    return any(a and b and a.value == b.value for old, new in same
               for a, b in ((old.mass, new.mass), (old.count, new.count), (old.volume, new.volume)))


def _more_goods(layout: Layout, sentence: Sentence, drafts: list[ItemDraft]) -> bool:
    """Is an amount told as more goods ("another 111 kilograms", "a further 700 kg")?"""
    pattern = layout.language.pattern("more_goods")
    return any(pattern.search(layout.doc.text[max(sentence.start, span.start - 30):span.start])
               for draft in drafts for span in draft.evidence if span.field in ("mass_kg", "count", "volume_m3"))


def place_mention(events: list[Haul], sentence: Sentence, drafts: list[ItemDraft],
                  layout: Layout, gazetteer: Gazetteer) -> tuple[Haul, bool]:
    """Merge a sentence's items into the event they repeat (True), or open a new event."""
    separated = bool(layout.language.pattern("separator").search(sentence.text)) or _moves_on(
        layout, gazetteer, events, sentence)
    apart = _opens_apart(layout, events, sentence)
    current = events[-1] if events else None
    if not separated:
        own = {d.iso for d in sentence_dates(layout, sentence)}
        for event in reversed(events):
            known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
            if own and known and not own & known:
                continue
            if own and not known and layout.reference and all(i[:4] < str(layout.reference.year) for i in own):
                continue  # "in October 2018 ... found six tons of scales": a past haul, not a retelling of today's
            # "Earlier, ..." retells a haul already told only when it gives that haul's day again.
            if apart and not own & known:
                continue
            if _repeats(layout, sentence, event.items, drafts):
                _absorb(event, drafts, sentence)
                return event, True
        described = layout.language.pattern("described").search(sentence.text) or (
            not layout.parsed and patterns.is_described(layout.language, sentence.text))
        if current and not apart and (_joins(current, drafts, sentence, layout) or described):
            _absorb(current, drafts, sentence)
            return current, False
    event = Haul(items=list(drafts), mentions=[sentence], opener=sentence, separated=separated or apart)
    events.append(event)
    return event, False


def _moves_on(layout: Layout, gazetteer: Gazetteer, events: list[Haul], sentence: Sentence) -> bool:
    """Words read since the last haul that open on the pack's words for elsewhere ("Meanwhile, in ...",
    "Trong khi đó, tại ...", "与此同时") and name a place the current haul's sentences do not: another haul.
    The words may be a sentence of their own before the haul's ("นอกจากนี้ ที่ จ.นครพนม")."""
    told = [m for e in events for m in e.mentions if m.end <= sentence.start]
    if not told:
        return False
    last = max(told, key=lambda m: m.end)
    begin = last.end if last.paragraph == sentence.paragraph else min(
        s.start for s in layout.sentences if s.paragraph == sentence.paragraph)
    run = layout.doc.text[begin:sentence.end].lstrip(_RUN_PUNCTUATION)
    if not layout.language.pattern("meanwhile").match(run):
        return False
    return _names_new_place(layout, gazetteer, " ".join(m.text for m in events[-1].mentions), run)


def _opens_apart(layout: Layout, events: list[Haul], sentence: Sentence) -> bool:
    """No parse: the first haul of a paragraph that opens on the pack's ``separate`` cue ("Trước đó, ...",
    earlier) belongs to another case, not to the event before."""
    if layout.parsed:
        return False
    first = next((s for s in layout.sentences if s.paragraph == sentence.paragraph), sentence)
    return bool(layout.language.cue("separate").match(first.text)) and not any(
        m.paragraph == sentence.paragraph for e in events for m in e.mentions)


def _joins(event: Haul, drafts: list[ItemDraft], sentence: Sentence, layout: Layout) -> bool:
    """Does a mention add a measure to the current event rather than start another?"""
    relations = [relation(old, new) for new in drafts for old in event.items]
    if "complement" not in relations:
        return False
    if any(old.substance and old.substance == new.substance and (old.form == new.form or not old.form or not new.form)
           and relation(old, new) == "different" for new in drafts for old in event.items):
        return False  # "four bricks of heroin and 2,000 pills" after "10 bricks of heroin": other goods
    if _new_scene(layout, event, sentence) and all(
            d.substance and (d.mass or d.count or d.volume) for d in drafts):
        return False
    own = {d.iso for d in sentence_dates(layout, sentence)}
    if not own:
        return True
    known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
    if known:
        return bool(own & known)
    weak = all(d.mass is None and d.count is None and d.volume is None for d in drafts)
    return weak or sentence.paragraph == event.mentions[-1].paragraph


def _new_scene(layout: Layout, event: Haul, sentence: Sentence) -> bool:
    """A later paragraph that opens on its own day or place ("On Friday evening security forces raided a
    house in ... They confiscated 16 bags ...") tells another raid, as round-ups do paragraph by paragraph."""
    if sentence.paragraph in {m.paragraph for m in event.mentions}:
        return False
    opening = [s for s in layout.sentences if s.paragraph == sentence.paragraph and s.start <= sentence.start]
    known = {d.iso for s in event.mentions for d in sentence_dates(layout, s)}
    told = " ".join(s.text for s in event.mentions)
    for s in opening:
        if any(d.iso not in known for d in sentence_dates(layout, s)):
            return True
        if any(m.group(0) not in told for m in layout.language.pattern("place_phrase").finditer(s.text)):
            return True
    return False


def _absorb(event: Haul, drafts: list[ItemDraft], sentence: Sentence) -> None:
    for new in drafts:
        target = next((old for old in event.items if relation(old, new) == "same"), None) or next(
            (old for old in event.items if relation(old, new) == "complement"), None)
        if target is None:
            event.items.append(new)
        else:
            merge(target, new)
    if sentence not in event.mentions:
        event.mentions.append(sentence)


def attach_context(layout: Layout, gazetteer: Gazetteer, events: list[Haul], owner: dict[int, Haul],
                   statistic: set[int]) -> None:
    """Give each sentence without a haul to the event its paragraph (or the story so far) is about."""
    sentences = [s for s in layout.sentences if s.start not in statistic]
    scene: Haul | None = None  # the next haul, once a paragraph has opened its scene
    for i, sentence in enumerate(sentences):
        if sentence.start in owner:
            continue
        following = next((owner[s.start] for s in sentences[i + 1:]
                          if s.paragraph == sentence.paragraph and s.start in owner), None)
        preceding = next((owner[s.start] for s in reversed(sentences[:i]) if s.start in owner), None)
        lead_in = next((owner[s.start] for s in sentences[i + 1:] if s.start in owner), None)
        target = following or preceding or lead_in
        if following is None and preceding is not None and lead_in is not None and lead_in is not preceding and (
                lead_in is scene or _opens_scene(layout, gazetteer, sentence, preceding, lead_in)):
            target = scene = lead_in
        if target is not None and target is lead_in and target is not following:
            target.lead_in.append(sentence)
        if target is not None:
            target.context.append(sentence)


def _opens_scene(layout: Layout, gazetteer: Gazetteer, sentence: Sentence, preceding: Haul, following: Haul) -> bool:
    """"On October 26, police in the central province of Nghe An uncovered a group ..." (paragraphs before
    "At the scene, the authorities seized ..."): a paragraph opening on its own day and province, neither the
    haul's told before, sets the scene of the next haul, which tells no day or place of its own."""
    first = next(s for s in layout.sentences if s.paragraph == sentence.paragraph)
    if first.start != sentence.start or any(sentence_dates(layout, m) or any(
            p.place.kind != "country" for p in gazetteer.find(m.text)) for m in following.mentions):
        return False  # the next haul tells its own day or place
    goods = {i.substance for i in preceding.items if i.substance}
    if any(m.substance in goods for m in sentence_substances(layout, sentence)):
        return False  # "... said that the cannabis had been grown in ... provinces": more of the haul told before
    told = {d.iso for m in preceding.mentions for d in sentence_dates(layout, m)}
    own = {d.iso for d in sentence_dates(layout, sentence) if d.precision != "year"}  # not "born in 1994"
    paragraphs = {m.paragraph for m in preceding.mentions}
    known = {(m.place.country, m.place.name) for s in [*preceding.mentions, *preceding.context]
             if s.paragraph in paragraphs for m in gazetteer.find(s.text) if m.place.kind == "admin1"}
    # another province of the same country ("lives in ... Phongsaly, Laos" is a home, not a scene)
    countries = {country for country, _ in known}
    provinces = {(m.place.country, m.place.name) for m in gazetteer.find(sentence.text)
                 if m.place.kind == "admin1" and (not countries or m.place.country in countries)}
    # a report whose year is unknown resolves no day: then the new province alone opens the scene
    return bool(own - told or not own and not told) and bool(provinces - known)
