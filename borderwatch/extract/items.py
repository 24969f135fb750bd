"""Items: what a sentence says was seized, as commodity + quantities, and how two mentions of
goods relate ("more than 1 million pills" and "1,034,413 pills ... 93.973 kilograms" are one item;
"10 kg of meth and 20,000 pills" are two). Shared by the event and statistics extractors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from borderwatch.extract import patterns
from borderwatch.extract.context import Layout, Sentence, sentence_substances
from borderwatch.extract.lexicon import SubstanceMention
from borderwatch.extract.units import GOODS_UNITS, Quantity, ascii_digits, count_unit_form, find_quantities
from borderwatch.lang import Language
from borderwatch.model import Item, Span

# Containers the goods travel in: a count of them stands in only when nothing finer is given; unit forms of
# the goods themselves (bricks, blocks, soapcases) stay counts beside a weight.
_PACKAGING = frozenset({"packages", "kg-packages", "sacks", "bags", "boxes", "blocks", "bricks", "cakes", "bars",
                        "soapcases"})
_UNIT_FORMS = frozenset({"blocks", "bricks", "cakes", "bars", "soapcases"})
# Forms only one commodity's goods take: an unnamed amount in them is not another commodity's.
_FORM_OF = {"live": "wildlife", "logs": "timber", "tablets": "drugs"}
# The catch-all substance of a commodity ("wood", "logs" -> timber) may name a species told elsewhere.
_GENERIC = {"timber": "timber"}
# Containers whose count times their contents is the amount seized; unit forms (bricks, cakes) stay counts.
_CONTAINERS = frozenset({"packages", "sacks", "bags", "boxes"})
_APPOSITION = re.compile(r"[\w\s'’-]{0,50}(?:,|—|–|\s-\s)\s*")


@dataclass
class ItemDraft:
    """An item while mentions of it are still being merged."""

    commodity: str
    substance: str | None
    form: str | None
    mass: Quantity | None = None
    count: Quantity | None = None
    volume: Quantity | None = None
    packages: Quantity | None = None
    evidence: list[Span] = field(default_factory=list)


def is_goods(q: Quantity) -> bool:
    """Is a quantity an amount of goods (not money, area, people or vehicles)?"""
    if q.kind in ("mass", "volume"):
        return True
    return q.kind == "count" and q.unit in GOODS_UNITS and q.unit != "kg-packages"


def count_bare_pills(layout: Layout, sentence: Sentence, quantities: list[Quantity]) -> list[Quantity]:
    """"ยาบ้า 6 ล้าน" (yaba 6 million): a scaled number written straight after the name of goods that are
    counted in tablets counts those tablets, though it names no unit."""
    pills = [m for m in sentence_substances(layout, sentence) if m.form == "tablets"]
    return [replace(q, unit="tablets") if q.kind == "count" and q.unit == "number" and q.value >= 1000 and any(
        m.end <= q.start and not sentence.text[m.end:q.start].strip() for m in pills) else q for q in quantities]


def further_lots(layout: Layout, sentence: Sentence) -> list[list[ItemDraft]]:
    """"...ยึดยาบ้าได้อีก 2 ล็อต" (seized two more lots of yaba): a sentence telling that many more hauls of
    the goods it names, with no amount: one item list a haul."""
    told = layout.language.cue("further_lots").search(sentence.text)
    named = [m for m in sentence_substances(layout, sentence) if m.substance]
    if told is None or not named or not patterns.is_seizure_told(layout.language, sentence.text):
        return []
    first = named[0]
    span = layout.span(sentence.start + first.start, sentence.start + first.end, "substance")
    return [[ItemDraft(first.commodity, first.substance, first.form, evidence=[span])]
            for _ in range(int(ascii_digits(told.group("n"))))]


def read_items(layout: Layout, sentence: Sentence, goods: list[Quantity]) -> list[ItemDraft]:
    """Group a sentence's goods quantities into items (a count and its weight are one item)."""
    substances = sentence_substances(layout, sentence)
    drafts: list[ItemDraft] = []
    previous: Quantity | None = None
    if layout.parsed:
        goods = multiply_packages(layout.language, sentence.text, _without_conversions(sentence.text, goods))
        goods, named = _drop_per_unit(layout.language, sentence.text, goods, substances)
    else:
        named = {}
    goods = _without_part(layout.language, sentence.text, goods)
    for q in goods:
        between = sentence.text[previous.end:q.start] if previous else ""
        if layout.parsed and previous is not None and drafts and previous.kind == q.kind and _close(previous, q) \
                and layout.language.pattern("packed_in").search(between):
            # "300,000 pills packed in 150 bags, each holding 2,000 pills": the bags times their contents
            # are the amount just told, not more of it
            drafts[-1].evidence.append(layout.span(sentence.start + q.start, sentence.start + q.end, _field_of(q)))
            continue
        if layout.parsed:
            mention = _substance_for(layout.language, sentence.text, q, substances, goods)
            if q.start in named and (mention is None or not mention.substance):
                mention = named[q.start]
            same = len(between) <= 90 and (layout.language.pattern("connect_same").search(between) or (
                q.kind == "count" and q.unit in _PACKAGING and layout.language.pattern("packed_in").search(between)) or (
                previous is not None and previous.kind == "count" and previous.unit in _CONTAINERS
                and layout.language.pattern("holding").fullmatch(between))) and not layout.language.pattern("other_item_join").search(between)
        else:  # no parse: the pack says which side the goods stand and what joins two measures
            # "ยาบ้า 5.4 ล้านเม็ด ... ไม้เก่า" (pills hidden under old wood): pills are drugs, not the wood after them
            drugs = [m for m in substances if m.commodity == "drugs"] if q.unit == "tablets" else []
            mention = patterns.substance_for(layout.language, sentence.text, q, drugs or substances, goods)
            same = previous is not None and patterns.joins_item(layout.language, between, any(
                (s.substance or not s.form) and previous.end <= s.start and s.end <= q.start for s in substances))
            # "20 bánh heroin (gần 7 kg), 5.000 viên ma túy tổng hợp": an amount followed by its own goods'
            # name, after an item already named, is another item.
            same = same and not (mention is not None and mention.start >= q.end and drafts
                                 and drafts[-1].substance and mention.substance != drafts[-1].substance)
        # "45 rosewood logs, about 2.5 cubic metres of wood,": another measure of the goods just counted.
        restated = bool(drafts and previous and mention and q.qualifier and _APPOSITION.fullmatch(between)
                        and drafts[-1].commodity == mention.commodity and _slot(drafts[-1], q) is None
                        and (mention.substance in (None, _GENERIC.get(mention.commodity))
                             or (mention.end <= q.start and mention.substance == drafts[-1].substance)))
        draft = drafts[-1] if drafts and previous and (same or restated) else None
        if draft is None or _slot(draft, q) is not None and q.unit not in _PACKAGING:
            draft = ItemDraft(mention.commodity if mention else "", mention.substance if mention else None,
                           mention.form if mention else None)
            drafts.append(draft)
        elif mention:
            _adopt(draft, mention.commodity, mention.substance, mention.form)
        _put(draft, q, layout.span(sentence.start + q.start, sentence.start + q.end, _field_of(q)))
        if mention:
            draft.evidence.append(layout.span(sentence.start + mention.start, sentence.start + mention.end,
                                              "substance"))
        if q.kind == "count" and not draft.form:
            draft.form = count_unit_form(q.unit)  # "64 logs of rosewood": the unit is the form
        previous = q
    return drafts if layout.parsed else named_only(drafts)


def _without_conversions(text: str, goods: list[Quantity]) -> list[Quantity]:
    """"40.5 kilograms (89 pounds) of heroin": the same weight converted in brackets is no amount of its own,
    and the goods named after it are those of the amount before it."""
    out: list[Quantity] = []
    for q in goods:
        previous = out[-1] if out else None
        if previous is not None and previous.kind == q.kind and re.fullmatch(r"\s*\(\s*", text[previous.end:q.start]) \
                and previous.value and abs(q.value - previous.value) <= 0.05 * previous.value:
            continue
        out.append(q)
    return out


def _without_part(language: Language, text: str, goods: list[Quantity]) -> list[Quantity]:
    """"245kg in total, including 25kg of dry marijuana": the one smaller amount told as part of the amount
    just before it is inside that item, not another one (a breakdown into several parts stays)."""
    cue = language.cue("part_of_total")
    for k, q in enumerate(goods[1:], 1):
        whole = goods[k - 1]
        same_kind = [g for g in goods[k:] if g.kind == q.kind]
        if cue.search(text[whole.end:q.start]) and whole.kind == q.kind and q.value < whole.value and len(same_kind) == 1:
            return [g for g in goods if g is not q]
    return goods


def named_only(drafts: list[ItemDraft]) -> list[ItemDraft]:
    """No parse: an amount that names no goods and joins none, beside amounts that do, weighs the
    cargo or the vehicle ("车上约30吨重的2000多箱水果 ... 查出海洛因68.6公斤"), not the seized goods."""
    return [d for d in drafts if d.commodity] if any(d.commodity for d in drafts) else drafts


def _drop_per_unit(language: Language, text: str, goods: list[Quantity], substances: list[SubstanceMention]
                   ) -> tuple[list[Quantity], dict[int, SubstanceMention]]:
    """"Eight contained 200,000 speed pills apiece and seven held 100,000 apiece, a total of 2.3 million
    pills": what each container held is not an item when the sentence gives the total; the total takes
    the goods the per-unit amounts name."""
    totals = [q for q in goods if language.pattern("total_before").search(text[max(0, q.start - 20):q.start])]
    if not totals:
        return goods, {}
    kept: list[Quantity] = []
    named: dict[int, SubstanceMention] = {}
    for q in goods:
        total = next((t for t in totals if t.kind == q.kind and t is not q), None)
        if total is not None and language.pattern("per_unit").match(text, q.end):
            mention = _substance_for(language, text, q, substances, [q])
            if mention is not None and mention.substance:
                named.setdefault(total.start, mention)
            continue
        kept.append(q)
    return kept, named


def multiply_packages(language: Language, text: str, goods: list[Quantity]) -> list[Quantity]:
    """"20 packs each holding 200 tablets", "60 sacks of 20 kilogrammes each", "20 bundles of 20,000 pills",
    "all 12 sacks in the truck held 200,000 pills each": a number of containers times what each holds, read as
    one quantity of the goods."""
    out: list[Quantity] = []
    for q in goods:
        outer = out[-1] if out else None
        if outer is not None and outer.kind == "count" and outer.unit in _CONTAINERS and not (
                q.kind == "count" and q.unit in _PACKAGING):
            between = text[outer.end:q.start]
            each_after = bool(language.pattern("each_after").match(text, q.end))
            held_each = bool(language.pattern("held_between").fullmatch(between) and language.pattern("per_unit").match(text, q.end))
            if language.pattern("each_holding").fullmatch(between) or held_each or (language.pattern("of_between").fullmatch(between) and (
                    each_after or q.kind == "count")) or (language.pattern("of_goods_weighing").fullmatch(between) and (
                    each_after or language.pattern("each_word").search(between))):
                after = language.pattern("per_unit").match(text, q.end) if held_each else language.pattern("each_after").match(text, q.end)
                end = after.end() if after else q.end
                out[-1] = replace(q, value=outer.value * q.value, raw=text[outer.start:end], start=outer.start,
                                  end=end, qualifier=q.qualifier or outer.qualifier)
                continue
        out.append(q)
    return out


def add_per_package(layout: Layout, sentence: Sentence, drafts: list[ItemDraft]) -> bool:
    """"Each sack held 20 bundles of 20,000 pills" after "12 sacks stuffed with pills": the containers
    counted before times what each holds fills the item's missing count or weight, or restates the total
    already told ("30 sacks holding 3 million pills. Each sack held 100,000 pills.")."""
    m = layout.language.pattern("each_container").match(sentence.text)
    if m is None:
        return False
    noun = re.escape(m.group("noun").rstrip("s"))
    target = next((d for d in drafts if d.packages and re.search(rf"\b{noun}s?\b", d.packages.raw, re.IGNORECASE)),
                  None)
    inner = [q for q in multiply_packages(layout.language, sentence.text, [q for q in find_quantities(sentence.text)
                                                          if is_goods(q) and q.start >= m.end()])
             if not (q.kind == "count" and q.unit in _PACKAGING)]
    if target is None or target.packages is None or len(inner) != 1 or inner[0].kind not in ("count", "mass"):
        return False
    each = inner[0]
    total = replace(each, value=target.packages.value * each.value, raw=sentence.text[m.start():each.end])
    held = target.count if each.kind == "count" else target.mass
    if held is not None:
        # "30 sacks holding 3 million pills. Each sack held 100,000 pills.": the breakdown of the total told
        if not _close(held, total):
            return False
        target.evidence.append(layout.span(sentence.start + each.start, sentence.start + each.end, _field_of(each)))
        return True
    _set(target, total)
    target.evidence.append(layout.span(sentence.start + each.start, sentence.start + each.end, _field_of(each)))
    if each.kind == "count" and each.unit == "tablets" and not target.form:
        target.form = "tablets"
    return True


def name_identified_goods(layout: Layout, sentence: Sentence, drafts: list[ItemDraft]) -> bool:
    """"Police seized 230 kg of illegal drugs ... Tests later showed that the drugs were heroin": a sentence
    telling what the goods just seized turned out to be names the substance of the one item left unnamed."""
    m = layout.language.pattern("identified_as").search(sentence.text)
    if m is None:
        return False
    mention = next((s for s in sentence_substances(layout, sentence) if s.start == m.end() and s.substance), None)
    unnamed = [d for d in drafts if not d.substance and d.commodity in ("", mention.commodity if mention else "")]
    if mention is None or len(unnamed) != 1:
        return False
    _adopt(unnamed[0], mention.commodity, mention.substance, mention.form)
    unnamed[0].evidence.append(layout.span(sentence.start + mention.start, sentence.start + mention.end, "substance"))
    return True


def scale_by_counted_packages(layout: Layout, sentence: Sentence, before: Sentence | None,
                              drafts: list[ItemDraft]) -> None:
    """"In the sack were 21 packets. Each packet held 1 kilogram of meth": with no item carrying the
    containers yet, the count of them just before times what each holds is the one item's total."""
    m = layout.language.pattern("each_container").match(sentence.text)
    if m is None or before is None or before.paragraph != sentence.paragraph or len(drafts) != 1:
        return
    noun = re.escape(m.group("noun").rstrip("s"))
    counted = [q for q in find_quantities(before.text) if q.kind == "count" and q.unit in _CONTAINERS
               and re.search(rf"\b{noun}s?\b", q.raw, re.IGNORECASE)]
    draft = drafts[0]
    each = draft.mass if draft.count is None else None
    if len(counted) != 1 or each is None or draft.packages is not None or each.start < m.end():
        return
    _set(draft, replace(each, value=counted[0].value * each.value, raw=sentence.text[m.start():each.end]))


def _substance_for(language: Language, text: str, q: Quantity, substances: list[SubstanceMention],
                   goods: list[Quantity]) -> SubstanceMention | None:
    """The commodity a quantity measures: named inside or just after it, else just before."""
    following = [g.start for g in goods if g.start > q.start]
    limit = min([q.end + 50, *following])
    after = [s for s in substances if q.start <= s.start < limit or (s.start < q.start < s.end)]
    before = [s for s in substances if s.end <= q.start and q.start - s.end <= 30]
    # "127 logs of Siamese rosewood": a named species before the catch-all its form word implies.
    ordered = sorted(after, key=lambda s: (s.substance is None, s.substance == _GENERIC.get(s.commodity),
                                           s.start)) + before[::-1]
    # "pangolin scales amounting to six tons and tusks weighing two tons": goods measured by the
    # words that join them to the number are its own, whatever follows.
    measured = [s for s in before if language.pattern("measured_before").match(text[s.end:q.start])]
    if measured:
        ordered = [measured[-1]]
    for mention in ordered:
        if mention.substance and language.pattern("definite_before").search(text[max(0, mention.start - 20):mention.start]) \
                and mention.start > q.end:
            return replace(mention, substance=None)
        return mention
    return _weight_of_named(language, text, q, substances, goods)


def _weight_of_named(language: Language, text: str, q: Quantity, substances: list[SubstanceMention],
                     goods: list[Quantity]) -> SubstanceMention | None:
    """"seized heroin on Monday, with a total weight of 250 kg": an amount told as the weight or total of
    goods, naming none of its own, is that of the one kind of goods the sentence names before it with no
    amount between."""
    if not language.pattern("connect_same").search(text[max(0, q.start - 30):q.start]):
        return None
    if any(g.end <= q.start for g in goods if g is not q):
        return None
    named = [s for s in substances if s.end <= q.start and s.substance]
    return named[-1] if named and len({s.substance for s in named}) == 1 else None


def _field_of(q: Quantity) -> str:
    return {"mass": "mass_kg", "volume": "volume_m3"}.get(q.kind, "count")


def _slot(draft: ItemDraft, q: Quantity) -> Quantity | None:
    """What the draft already holds in the slot ``q`` would fill."""
    if q.kind == "mass":
        return draft.mass
    if q.kind == "volume":
        return draft.volume
    return draft.packages if q.unit in _PACKAGING else draft.count


def _put(draft: ItemDraft, q: Quantity, evidence: Span) -> None:
    """Fill a slot, keeping the more precise of two numbers for the same thing."""
    held = _slot(draft, q)
    if held is None or _precision(q) > _precision(held):
        _set(draft, q)
    draft.evidence.append(evidence)


def _precision(q: Quantity) -> tuple[int, int]:
    """How precisely a number is stated: unhedged first, then significant digits."""
    digits = len(re.sub(r"[^\d]", "", f"{q.value:.6g}").rstrip("0"))
    return (q.qualifier is None, digits)


def _adopt(draft: ItemDraft, commodity: str, substance: str | None, form: str | None) -> None:
    draft.commodity = draft.commodity or commodity
    draft.substance = draft.substance or substance
    draft.form = draft.form or form


def _close(a: Quantity, b: Quantity) -> bool:
    """Are two numbers the same amount told with different precision?"""
    high = max(a.value, b.value)
    if high <= 0:
        return a.value == b.value
    loose = a.qualifier or b.qualifier or min(_precision(a)[1], _precision(b)[1]) <= 2
    return abs(a.value - b.value) / high <= (0.12 if loose else 0.02)


def _compatible(a: ItemDraft, b: ItemDraft) -> bool:
    if a.commodity and b.commodity and a.commodity != b.commodity:
        return False
    if any(x.commodity and _FORM_OF.get(y.form or "", x.commodity) != x.commodity for x, y in ((a, b), (b, a))):
        return False  # "2 con" (two animals) counts no drugs
    if a.substance and b.substance and a.substance != b.substance and not (
            a.commodity == b.commodity and _GENERIC.get(a.commodity) in (a.substance, b.substance)):
        return False
    return not (a.form and b.form and a.form != b.form)


def relation(existing: ItemDraft, new: ItemDraft) -> str:
    """"same" (a repeated number), "complement" (adds another measure) or "different"."""
    if not _compatible(existing, new):
        return "different"
    pairs = [(existing.mass, new.mass), (existing.count, new.count), (existing.volume, new.volume)]
    shared = [(x, y) for x, y in pairs if x and y]
    if shared:
        return "same" if all(_close(x, y) for x, y in shared) else "different"
    if existing.packages and new.packages:
        if _close(existing.packages, new.packages):
            return "same"
        # "10 bricks of heroin", then "four bricks of heroin": other goods; "two sacks" then "50 packages"
        # count one haul's packing at two levels
        alone = all(d.substance and not (d.mass or d.count or d.volume) for d in (existing, new))
        return "different" if alone and existing.packages.unit == new.packages.unit else "complement"
    return "complement"


def merge(existing: ItemDraft, new: ItemDraft) -> None:
    """Fold a repeated or complementary mention into an item, keeping the more precise numbers."""
    _adopt(existing, new.commodity, new.substance, new.form)
    for q in (new.mass, new.count, new.volume, new.packages):
        if q is not None:
            held = _slot(existing, q)
            if held is None or _precision(q) > _precision(held):
                _set(existing, q)
    existing.evidence.extend(new.evidence)


def _set(draft: ItemDraft, q: Quantity) -> None:
    """Put a quantity in the slot its kind and unit belong to."""
    if q.kind == "mass":
        draft.mass = q
    elif q.kind == "volume":
        draft.volume = q
    elif q.unit in _PACKAGING:
        draft.packages = q
    else:
        draft.count = q


def freeze(draft: ItemDraft) -> Item:
    """The finished item: a count of packaging only when no weight, volume or unit count is given."""
    count = draft.count or (draft.packages if draft.mass is None and draft.volume is None or (
        draft.packages and draft.packages.unit in _UNIT_FORMS) else None)
    commodity = draft.commodity if draft.commodity in ("drugs", "timber", "wildlife") else "other"
    return Item(
        commodity=commodity, substance=draft.substance, form=draft.form,  # type: ignore[arg-type]
        mass_kg=round(draft.mass.value, 6) if draft.mass else None,
        mass_raw=draft.mass.raw if draft.mass else None,
        count=count.value if count else None, count_unit=count.unit if count else None,
        count_raw=count.raw if count else None,
        volume_m3=round(draft.volume.value, 6) if draft.volume else None,
        volume_raw=draft.volume.raw if draft.volume else None,
        qualifier=next((q.qualifier for q in (draft.mass, count, draft.volume) if q and q.qualifier), None),
        evidence=tuple(dict.fromkeys(draft.evidence)))


def generic_substance(commodity: str) -> str | None:
    """The substance a commodity's general word gives ("wood", "logs": timber), if it has one."""
    return _GENERIC.get(commodity)


def without_broken_down_total(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """"13.3 kg of drugs: about 8 kg of ice, 1.13 kg of liquid meth, 4.18 kg of ecstasy and 54 g of
    ketamine": an item whose mass is the sum of two or more others' is their total, not goods of its own."""
    weighed = [i for i in items if i.mass_kg]
    for total in weighed:
        parts = sum(i.mass_kg or 0 for i in weighed if i is not total)
        if len(weighed) > 2 and abs((total.mass_kg or 0) - parts) <= 0.02 * parts:
            return tuple(i for i in items if i is not total)
    return without_bare_packages(items)


def without_bare_packages(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """"805 kg of pangolin scales and 193 kg of ivory packed in two dozen boxes": a count of packaging
    naming no goods beside named goods is their packing, not an item of its own."""
    named = [i for i in items if i.substance]
    return tuple(i for i in items if not (named and i.substance is None and i.mass_kg is None
                                          and i.volume_m3 is None and i.count_unit in _CONTAINERS))
