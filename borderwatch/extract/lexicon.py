"""The commodity lexicon: what was trafficked, by the names the region's press uses.

The lexicon is data: one ``Entry`` per canonical substance (or one per generic class, with
substance None), each listing the names it is written as and the form a name implies
("yaba" -> methamphetamine tablets). ``find_substances`` finds every mention, widens it over
a form word next to it ("meth pills", "crystal methamphetamine", "pangolin scales",
"pills of methamphetamine") and returns spans into the text.

"ice" is read as crystal methamphetamine only when the sentence says it is a drug: a mass
just before it ("5 kg of ice"), another drug name close by ("methamphetamine (ice)", "ice
and yaba"), a drug word after it ("ice drug") or a capital "Ice" inside a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick

from borderwatch.geo.gazetteer import is_katakana
from borderwatch.lang import Language, all_languages
from borderwatch.model import Commodity


@dataclass(frozen=True)
class Entry:
    """One canonical substance and the names (each with the form it implies) it goes by."""

    substance: str | None
    commodity: Commodity
    names: dict[str, str | None]


@dataclass(frozen=True)
class SubstanceMention:
    """Where the text names a commodity, and what it names."""

    start: int
    end: int
    text: str
    commodity: Commodity
    substance: str | None
    form: str | None


def _names(form: str | None, *names: str) -> dict[str, str | None]:
    return {name: form for name in names}


LEXICON: tuple[Entry, ...] = (
    Entry("methamphetamine", "drugs", {
        **_names(None, "methamphetamine", "methamphetamines", "metamphetamine", "meth",
                 "methamphetamine hydrochloride", "覚醒剤", "覚せい剤", "メタンフェタミン",
                 "甲基苯丙胺"),
        **_names("tablets", "yaba", "ya ba", "yabaa", "yaa baa", "ya ma", "yama", "WY",
                 "WY tablets", "WY pills", "ヤーバー", "ยาบ้า", "យ៉ាម៉ា", "hồng phiến", "麻古",
                 "meth pills", "meth tablets", "speed pills", "speed tablets",
                 # the region's press calls yaba "amphetamine" pills: methamphetamine tablets
                 "amphetamine pills", "amphetamine tablets", "amphetamine pill", "amphetamine tablet"),
        **_names("crystal", "crystal meth", "ice", "crystal methamphetamine",
                 "methamphetamine crystal", "methamphetamine crystals", "shabu", "ไอซ์",
                 "ma túy đá", "冰毒", "ម៉ាទឹកកក"),
    }),
    Entry("amphetamine", "drugs", _names(None, "amphetamine", "amphetamines", "アンフェタミン")),
    Entry("heroin", "drugs", {
        **_names(None, "heroin", "heroin No. 4", "heroin No.4", "heroin number 4", "ヘロイン",
                 "เฮโรอีน", "ហេរ៉ូអ៊ីន", "海洛因", "bạch phiến"),
    }),
    Entry("opium", "drugs", _names(None, "opium", "raw opium", "アヘン", "阿片", "ฝิ่น",
                                   "thuốc phiện", "鸦片", "អាភៀន")),
    Entry("cannabis", "drugs", {
        **_names(None, "cannabis", "marijuana", "marihuana", "ganja", "hemp", "大麻", "マリファナ",
                 "กัญชา", "cần sa", "កញ្ឆា"),
        **_names("plant", "hemp plants", "cannabis plants", "marijuana plants"),
    }),
    Entry("ketamine", "drugs", _names(None, "ketamine", "ケタミン", "เคตามีน", "氯胺酮", "កេតាមីន")),
    Entry("mdma", "drugs", {
        **_names(None, "MDMA", "ecstasy", "エクスタシー", "摇头丸"),
        **_names("tablets", "ecstasy pills", "ecstasy tablets", "thuốc lắc", "ยาอี"),
    }),
    Entry("cocaine", "drugs", _names(None, "cocaine", "コカイン", "โคเคน", "可卡因", "cocain")),
    Entry("nimetazepam", "drugs", _names("tablets", "erimin", "erimin-5", "nimetazepam")),
    Entry("kratom", "drugs", _names(None, "kratom")),
    Entry("fentanyl", "drugs", _names(None, "fentanyl")),
    Entry("precursor", "drugs", {
        **_names(None, "precursor", "precursors", "precursor chemicals", "precursor chemical",
                 "precursor substances", "safrole", "pseudoephedrine", "ephedrine",
                 "P2P", "phenyl-2-propanone", "acetic anhydride", "sodium cyanide", "前駆物質",
                 "chemical precursors", "drug-making chemicals", "chemicals used to make drugs",
                 "chemicals used to produce drugs", "chemicals used in drug production",
                 "chemicals for drug production", "chemicals for making drugs",
                 # "1.8 tons of ketamine and nearly 300 tons of chemicals": chemicals seized in a drug
                 # raid are its precursors, not the drug named beside them
                 "chemicals", "chemical substances",
                 "tiền chất"),
        **_names("liquid", "sassafras oil", "safrole oil", "safrole-rich oil"),
    }),
    Entry(None, "drugs", {
        **_names(None, "drugs", "illicit drugs", "illegal drugs", "narcotics", "narcotic drugs",
                 "synthetic drugs", "amphetamine-type stimulants", "ATS", "stimulants",
                 "薬物", "麻薬", "ma túy", "ยาเสพติด", "ថ្នាំញៀន", "毒品"),
        **_names("tablets", "stimulant tablets", "stimulant pills", "synthetic drug pills",
                 "synthetic drug tablets", "synthetic pills", "narcotic pills", "illicit pills",
                 "drug pills", "drug tablets", "pills", "tablets"),
        **_names("powder", "crushed stimulants", "drug powder"),
    }),
    Entry("rosewood", "timber", {
        **_names(None, "rosewood", "Siamese rosewood", "Dalbergia", "Dalbergia cochinchinensis",
                 "Dalbergia oliveri", "kranhung", "kra nhung", "payung", "phayung", "ไม้พะยูง",
                 "พะยูง", "ក្រញូង", "gỗ trắc", "ローズウッド", "紫檀", "红木", "hongmu"),
    }),
    Entry("timber", "timber", {
        **_names(None, "timber", "luxury timber", "luxury wood", "precious wood", "rare wood",
                 "wood", "lumber", "thnong", "beng", "padauk", "teak", "agarwood", "sandalwood",
                 "illegal timber", "ថ្នង", "បេង", "gỗ", "木材", "ไม้"),
        **_names("logs", "logs", "timber logs", "丸太"),
        **_names("sawn", "sawn timber", "sawn wood", "planks", "timber planks"),
    }),
    Entry("pangolin", "wildlife", {
        **_names(None, "pangolin", "pangolins", "センザンコウ", "tê tê", "ตัวนิ่ม", "穿山甲"),
    }),
    Entry("ivory", "wildlife", {
        **_names(None, "ivory", "elephant ivory", "象牙", "ngà voi", "งาช้าง"),
        **_names("tusks", "elephant tusks", "tusks"),
    }),
    Entry("rhino horn", "wildlife", {
        **_names("horn", "rhino horn", "rhino horns", "rhinoceros horn", "rhinoceros horns",
                 "犀角", "sừng tê giác", "นอแรด"),
    }),
    Entry("tiger", "wildlife", _names(None, "tiger", "tigers", "トラ", "hổ", "เสือ")),
    Entry("turtle", "wildlife", _names(None, "turtle", "turtles", "tortoise", "tortoises",
                                       "freshwater turtles", "rùa")),
    Entry("bear bile", "wildlife", _names("liquid", "bear bile")),
    Entry("bear", "wildlife", _names(None, "bear paws", "bear parts", "bear cubs", "sun bears",
                                     "moon bears", "black bears")),
    Entry("bird nest", "wildlife", _names(None, "bird's nests", "bird nests", "birds' nests",
                                          "swiftlet nests", "edible bird's nests")),
    Entry("hornbill", "wildlife", _names(None, "hornbill", "hornbills", "hornbill casques")),
    Entry("shark fin", "wildlife", _names(None, "shark fin", "shark fins")),
    Entry("snake", "wildlife", _names(None, "snakes", "pythons", "cobras", "king cobras")),
    Entry("macaque", "wildlife", _names(None, "macaques", "monkeys", "long-tailed macaques")),
    Entry("gecko", "wildlife", _names(None, "geckos", "tokay geckos", "tokay gecko")),
    Entry("slow loris", "wildlife", _names(None, "slow loris", "slow lorises", "lorises")),
    Entry(None, "wildlife", _names(None, "wildlife", "wild animals", "wildlife products",
                                   "wildlife parts", "野生動物", "động vật hoang dã")),
)

# Form words that may sit right before or right after a name and set its form.
_FORMS: dict[str, str] = {
    "pills": "tablets", "pill": "tablets", "tablets": "tablets", "tablet": "tablets",
    "tabs": "tablets", "capsules": "tablets", "crystal": "crystal", "crystals": "crystal",
    "crystalline": "crystal", "powder": "powder", "powdered": "powder", "crushed": "powder",
    "liquid": "liquid", "oil": "liquid", "plants": "plant", "plant": "plant", "seedlings": "plant",
    "logs": "logs", "log": "logs", "sawn": "sawn", "planks": "sawn", "scales": "scales",
    "meat": "meat", "carcasses": "carcasses", "live": "live", "bones": "bones", "bone": "bones",
    "skins": "skins", "skin": "skins", "tusks": "tusks", "horns": "horn", "horn": "horn",
    "parts": "parts", "resin": "resin", "dried": "dried", "leaves": "leaves", "seeds": "seeds",
}
_PREFIX_FORMS = ("crystal", "crystalline", "powdered", "crushed", "liquid", "live", "sawn",
                 "dried", "raw")
_SUFFIX_FORMS = tuple(w for w in _FORMS if w not in {"crystalline", "powdered", "crushed",
                                                      "live", "sawn", "dried"})
_FORM_ONLY = frozenset({"pills", "tablets"})
_LATIN = re.compile(r"[A-Za-z]")
_KATAKANA = "\u30a1-\u30faー"
_SPACELESS_SCRIPTS = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
NEIGHBOUR_CLASSES = (rf"[^\W{_SPACELESS_SCRIPTS}]", rf"[{_KATAKANA}]")
"""What may not stand next to a name: a letter or digit of a script that separates words (beside a Latin
name), a katakana character (beside a katakana name)."""


def find_substances(text: str, language: Language) -> list[SubstanceMention]:
    """Every commodity named in ``text`` (a document in ``language``), left to right, non-overlapping,
    widened over forms."""
    mentions: list[SubstanceMention] = []
    last_end = 0
    for match in name_matches(text):
        if match.start() < last_end:
            continue
        entry, form = _lookup(match.group(0))
        if entry is None or not _is_meant(language, text, match):
            continue
        mention = _widen(text, match.start(), match.end(), entry, form, last_end)
        mention = _merge_form_of(text, mentions, mention)
        if mentions and mention.start < mentions[-1].end:
            mentions[-1] = mention
        else:
            mentions.append(mention)
        last_end = mention.end
    return mentions


@lru_cache(maxsize=1)
def _name_index() -> dict[str, tuple[Entry, str | None, str]]:
    """Lower-cased, space-normalised name -> (entry, form, name as listed)."""
    index: dict[str, tuple[Entry, str | None, str]] = {}
    entries = {(entry.commodity, entry.substance): entry for entry in LEXICON}
    for entry in LEXICON:
        for name, form in entry.names.items():
            index[_key(name)] = (entry, form, name)
    for language in all_languages():  # each pack's names of goods, in its script
        for key, names in language.substances.items():
            commodity, substance = key.split("/")
            wanted = (commodity, substance or None)
            entry = entries.setdefault(wanted, Entry(substance or None, commodity, {}))  # type: ignore[arg-type]
            for name, form in names.items():
                index.setdefault(_key(name), (entry, form, name))
    return index


def substance_names() -> list[str]:
    """Every name of goods the lexicon and the language packs list, as written."""
    return [name for _, _, name in _name_index().values()]


@lru_cache(maxsize=16)
def _ambiguous(language: Language) -> dict[str, re.Pattern[str]]:
    """Names that mean goods only with a drug word close by ("アイス"), with the pattern of the document's
    pack; a name only another pack lists (a word of another script) keeps that pack's pattern, since the
    index finds every pack's names in every document."""
    found = {name: other.cue(cue) for other in all_languages() for name, cue in other.ambiguous_names.items()}
    return found | {name: language.cue(cue) for name, cue in language.ambiguous_names.items()}


@lru_cache(maxsize=16)
def _weak_names(language: Language) -> dict[str, Language]:
    """Names that are goods only beside a mass or a drug word ("ice"), and the pack whose patterns say so:
    the document's own, else the pack that lists the name."""
    found = {name: other for other in all_languages() for name in other.words("weak_names")}
    return found | dict.fromkeys(language.words("weak_names"), language)


def name_alternatives() -> tuple[str, ...]:
    """The regular expression of each name, longest name first: their alternation (``re.IGNORECASE``)
    is what ``find_substances`` finds, left to right, the first alternative that matches at the
    leftmost place."""
    return tuple(_name_body(name) for name in _names_in_order())


@lru_cache(maxsize=1)
def _names_in_order() -> tuple[str, ...]:
    return tuple(name for _, _, name in sorted(_name_index().values(), key=lambda v: len(v[2]), reverse=True))


def _name_body(name: str) -> str:
    before, after = _neighbours(name)
    return "".join((f"(?<!{before})" if before else "", _name_core(name), f"(?!{after})" if after else ""))


def _name_core(name: str) -> str:
    return r"\s+".join(re.escape(word) for word in name.split())


def _neighbours(name: str) -> tuple[str | None, str | None]:
    """The characters that may not stand just before and just after ``name`` (an expression of one
    character each), None where any may."""
    if _LATIN.match(name):
        # A Han or kana character next to a Latin name is a word boundary ("缴获K粉300公斤", "及MDMA片").
        word, _ = NEIGHBOUR_CLASSES
        bound = word if "-" in name else rf"{word}|-"
        return bound, bound if _LATIN.match(name[-1]) else None
    if is_katakana(name[0]) or is_katakana(name[-1]):  # not inside a longer word ("トラック")
        _, katakana = NEIGHBOUR_CLASSES
        return katakana, katakana
    return None, None


def name_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of the alternation of ``name_alternatives`` in ``text``, as ``finditer`` gives them.

    Compiling that alternation of every name costs seconds (its neighbour classes span the Han
    block) and searching it tries it at every character. A match of a name starts with the name's
    first word, so an Aho-Corasick automaton of the first words (case-folded as the expression
    compares characters, ``_fold``) gives every place a name may start; there each name with that
    first word is tried in the alternation's order: its words (``_name_core``, which can end in one
    place only, each word starting with what a space is not), then the characters either side
    against its ``_neighbours``, as its lookarounds would. The first that matches at the leftmost
    place is the alternation's match; the search goes on after its end, as ``finditer`` does.
    """
    candidates = sorted((end - length + 1, rank) for end, (length, ranks) in _first_words().iter(_fold(text))
                        for rank in ranks)
    position = 0
    for start, rank in candidates:
        if start < position:
            continue
        core, before, after = _name_expressions(rank)
        match = core.match(text, start)
        if match is None or (before is not None and start > 0 and before.match(text, start - 1)) \
                or (after is not None and match.end() < len(text) and after.match(text, match.end())):
            continue
        yield match
        position = match.end()


# Characters ``re.IGNORECASE`` holds equal beyond their lower case (sre's extra case classes, as
# "ſ" and "s", "ς" and "σ"), each mapped to one of its class; "İ" is "i" to it, and its lower case
# would be two characters.
_CASE_CLASSES = ("iı", "sſ", "µμ", "\u0345ι\u1fbe", "\u0390\u1fd3", "\u03b0\u1fe3", "βϐ", "εϵ", "θϑ", "κϰ",
                 "πϖ", "ρϱ", "σς", "φϕ", "в\u1c80", "д\u1c81", "о\u1c82", "с\u1c83", "т\u1c84\u1c85",
                 "ъ\u1c86", "ѣ\u1c87", "\u1c88\ua64b", "\u1e61\u1e9b", "\ufb05\ufb06")
_AFTER_LOWER = str.maketrans({char: chars[0] for chars in _CASE_CLASSES for char in chars[1:]})


def _fold(text: str) -> str:
    """``text`` case-folded character for character (the same length), so that two characters the
    regular expressions match without case fold to the same."""
    return text.replace("\u0130", "i").lower().translate(_AFTER_LOWER)


@lru_cache(maxsize=1)
def _first_words() -> ahocorasick.Automaton:
    """Each name's first word, folded -> (its length, the ranks of the names that start with it)."""
    ranks: dict[str, list[int]] = {}
    for rank, name in enumerate(_names_in_order()):
        ranks.setdefault(_fold(name.split()[0]), []).append(rank)
    automaton = ahocorasick.Automaton()
    for word, listed in ranks.items():
        automaton.add_word(word, (len(word), tuple(listed)))
    automaton.make_automaton()
    return automaton


@cache
def _name_expressions(rank: int) -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]:
    """The words of the name of rank ``rank`` and its neighbour classes, compiled."""
    name = _names_in_order()[rank]
    before, after = _neighbours(name)
    return (re.compile(_name_core(name), re.IGNORECASE), _neighbour_expression(before),
            _neighbour_expression(after))


@lru_cache(maxsize=8)
def _neighbour_expression(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _lookup(found: str) -> tuple[Entry | None, str | None]:
    hit = _name_index().get(_key(found))
    if hit is None:
        return None, None
    entry, form, listed = hit
    # Upper-case abbreviations (WY, ATS, P2P, MDMA) are only these when written in capitals.
    if listed.split()[0].isupper() and _LATIN.match(listed) \
            and found.split()[0] != listed.split()[0]:
        return None, None
    return entry, form


def _is_meant(language: Language, text: str, match: re.Match[str]) -> bool:
    """Apply the packs' rules for ambiguous and weak names ("ice"); every other name means what the
    lexicon says."""
    context = _ambiguous(language).get(match.group(0))
    if context is not None:
        start, end = match.span()
        return bool(context.search(text, max(0, start - 40), min(len(text), end + 40)))
    owner = _weak_names(language).get(match.group(0).lower())
    if owner is None:
        return True
    start, end = match.span()
    if owner.pattern("weak_not_after").match(text, end):
        return False
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    before = text[sentence_start:start]
    if owner.pattern("weak_mass_before").search(before[-40:]):
        return True
    if owner.pattern("weak_drug_near").search(text, max(sentence_start, start - 40), min(len(text), end + 40)):
        return True
    written = match.group(0)  # a capital inside a sentence: "Ice" as the drug's name
    return written == written.capitalize() and written != written.lower() and before.strip() != ""


def _widen(text: str, start: int, end: int, entry: Entry, form: str | None,
           floor: int) -> SubstanceMention:
    """Take in a form word written next to the name ("crystal methamphetamine", "meth pills")."""
    suffix = re.match(rf"\s+({'|'.join(_SUFFIX_FORMS)})(?![\w\-])", text[end:end + 20], re.IGNORECASE)
    if suffix and not (entry.substance is None and form is not None):
        form, end = _FORMS[suffix.group(1).lower()], end + suffix.end()
    prefix = re.search(rf"(?<![\w\-])({'|'.join(_PREFIX_FORMS)})\s+$",
                       text[max(floor, start - 20):start], re.IGNORECASE)
    if prefix:
        word = prefix.group(1).lower()
        start -= len(prefix.group(0))
        form = _FORMS.get(word, form)
    return SubstanceMention(start=start, end=end, text=text[start:end], commodity=entry.commodity,
                            substance=entry.substance, form=form)


def _merge_form_of(text: str, mentions: list[SubstanceMention],
                   mention: SubstanceMention) -> SubstanceMention:
    """"pills of methamphetamine": a bare form word, "of", then the substance, is one mention."""
    if not mentions or mention.substance is None:
        return mention
    previous = mentions[-1]
    if previous.substance is not None or previous.text.lower() not in _FORM_ONLY \
            or previous.commodity != mention.commodity:
        return mention
    if not re.fullmatch(r"\s+of\s+(?:the\s+)?", text[previous.end:mention.start], re.IGNORECASE):
        return mention
    return SubstanceMention(start=previous.start, end=mention.end,
                            text=text[previous.start:mention.end], commodity=mention.commodity,
                            substance=mention.substance, form=mention.form or previous.form)
