"""Scoring extracted facts against gold annotations, as the project's gold format defines it.

The definitions follow the shared scorer (SCHEMA.md and score.py): events match one to one
when they plausibly describe the same fact (a shared quantity within 2 %, or for seizures
without quantity a shared substance), best field agreement first; direct quotes match on
their first words and the speaker's last name; flows on (from, to, commodity); incidents by
pairwise agreement. A test checks that these numbers equal score.py's on the dev set.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

Record = dict[str, Any]
QUANTITY_TOLERANCE = 0.02
COUNT_TOLERANCE = 0.005


def norm(value: Any) -> str | None:
    """Fold case, width and punctuation; drop the words province/city/district."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).lower()
    text = re.sub(r"\b(province|provincial|city|district|municipality)\b", " ", text)
    # keep the vowel signs of Thai, Lao, Khmer and Burmese: they are marks, not word characters
    return re.sub(r"[^\w\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]+", " ", text).strip()


# Scripts written without spaces between words: each character counts as a word, as in score.py.
_NO_SPACE = re.compile(r"[\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


_PLACE_VARIANTS = [
    (r"\bkompong\b", "kampong"), (r"\bk\s", "kampong "), (r"ratt?anakk?iri", "ratanakiri"),
    (r"mondol\s*kiri", "mondulkiri"), (r"\bsihanoukville\b", "preah sihanouk"),
    (r"vientiane prefecture", "vientiane capital"), (r"\bsaigon\b", "ho chi minh"),
    (r"\b(state|region|capital city)$", ""), (r"^(tp hcm|hcm|thanh pho ho chi minh)$", "ho chi minh"),
]


def fold_place(value: str | None) -> str | None:
    """A province name folded for comparison: diacritics, case, spacing, common variants."""
    if value is None:
        return None
    text = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    text = norm(text.replace("đ", "d").replace("Đ", "D")) or ""
    for pattern, replacement in _PLACE_VARIANTS:
        text = re.sub(pattern, replacement, text).strip()
    return text.replace(" ", "")


def _words(text: Any, n: int | None = None) -> list[str]:
    found: list[str] = []
    for token in (norm(text) or "").split() if text else []:
        found.extend(token) if _NO_SPACE.search(token) else found.append(token)
    return found[:n] if n else found


def _close(a: Any, b: Any, tolerance: float = QUANTITY_TOLERANCE) -> bool:
    if a is None or b is None:
        return False
    x, y = float(a), float(b)
    return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-9)


def _item_match(g: Record, p: Record) -> bool:
    return (_close(g.get("mass_kg"), p.get("mass_kg")) or _close(g.get("count"), p.get("count"), COUNT_TOLERANCE)
            or _close(g.get("volume_m3"), p.get("volume_m3")))


def _has_quantity(item: Record) -> bool:
    return any(item.get(k) is not None for k in ("mass_kg", "count", "volume_m3"))


def _values(event: Record, key: str) -> set[str | None]:
    return {norm(i.get(key)) for i in event.get("items") or [] if i.get(key)}


def compatible(g: Record, p: Record) -> bool:
    """Could a gold and a predicted event describe the same fact?"""
    if g.get("type") != p.get("type"):
        return False
    gold_items, pred_items = g.get("items") or [], p.get("items") or []
    if any(_item_match(a, b) for a in gold_items if _has_quantity(a) for b in pred_items):
        return True
    if g["type"] == "aggregate":
        return any(g.get(k) is not None and g.get(k) == p.get(k) for k in ("arrests", "cases"))
    if any(_has_quantity(a) for a in gold_items):
        return False
    gold_substances = _values(g, "substance")
    if gold_substances:
        return bool(gold_substances & _values(p, "substance"))
    return bool(_values(g, "commodity") & _values(p, "commodity"))


def _items_equal(g: Record, p: Record) -> bool:
    gold = [i for i in g.get("items") or [] if _has_quantity(i)]
    pred = [i for i in p.get("items") or [] if _has_quantity(i)]
    if len(gold) != len(pred):
        return False
    used: set[int] = set()
    for a in gold:
        hit = next((j for j, b in enumerate(pred) if j not in used and _item_match(a, b)), None)
        if hit is None:
            return False
        used.add(hit)
    return True


def _same(key: str) -> Callable[[Record, Record], bool]:
    return lambda g, p: norm(g.get(key)) == norm(p.get(key))


def _equal(key: str) -> Callable[[Record, Record], bool]:
    return lambda g, p: g.get(key) == p.get(key)


FIELDS: dict[str, dict[str, Callable[[Record, Record], bool]]] = {
    "seizure": {
        "date": _equal("date"),
        "country": _same("country"),
        "admin1": lambda g, p: fold_place(g.get("admin1")) == fold_place(p.get("admin1")),
        "substance": lambda g, p: _values(g, "substance") == _values(p, "substance"),
        "quantities": _items_equal,
        "arrests": _equal("arrests"),
        "origin_country": _same("origin_country"),
        "nationalities": lambda g, p: {norm(x) for x in g.get("suspect_nationalities") or []}
        == {norm(x) for x in p.get("suspect_nationalities") or []},
    },
    "aggregate": {
        "country": _same("country"),
        "period_start": _equal("period_start"),
        "period_end": _equal("period_end"),
        "quantities": _items_equal,
        "arrests": _equal("arrests"),
        "cases": _equal("cases"),
    },
}
STRICT = {"seizure": ["date", "country", "admin1", "substance", "quantities", "arrests"],
          "aggregate": ["country", "period_end", "quantities", "arrests"]}


def match_events(gold: list[Record], pred: list[Record]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best field agreement first."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if compatible(g, p):
                pairs.append((sum(f(g, p) for f in FIELDS[g["type"]].values()), i, j))
    pairs.sort(key=lambda t: -t[0])
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            out.append((i, j))
    return out


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    """Precision, recall and F1, rounded as the report prints them."""
    p = tp / npred if npred else (1.0 if not ngold else 0.0)
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


@dataclass
class Report:
    """The scores, and every error with the words it came from."""

    scores: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _evidence(event: Record) -> str:
    spans = [s for s in event.get("evidence") or [] if s.get("field") == "sentence"] or event.get("evidence") or []
    return f' evidence="{spans[0]["text"][:160]}"' if spans else ""


def _brief(event: Record) -> str:
    keys = ("type", "date", "country", "admin1", "arrests", "period_start", "period_end", "cases")
    core = {k: event.get(k) for k in keys if event.get(k) is not None}
    core["items"] = [{k: v for k, v in i.items() if k in ("substance", "form", "mass_kg", "count", "count_unit",
                                                         "volume_m3") and v is not None}
                     for i in event.get("items") or []]
    return json.dumps(core, ensure_ascii=False)


def _score_events(gold: dict[str, Record], pred: dict[str, Record], report: Report) -> None:
    for kind in ("seizure", "aggregate"):
        ngold = npred = tp = strict = 0
        field_ok = dict.fromkeys(FIELDS[kind], 0)
        for doc, g in gold.items():
            ge = [e for e in g.get("events", []) if e.get("type") == kind]
            pe = [e for e in pred.get(doc, {}).get("events") or [] if e.get("type") == kind]
            matched = match_events(ge, pe)
            ngold, npred, tp = ngold + len(ge), npred + len(pe), tp + len(matched)
            for i, j in matched:
                oks = {k: f(ge[i], pe[j]) for k, f in FIELDS[kind].items()}
                for k, ok in oks.items():
                    field_ok[k] += ok
                strict += all(oks[k] for k in STRICT[kind])
                wrong = [k for k, ok in oks.items() if not ok]
                if wrong:
                    report.errors.append(f"{doc} {kind} WRONG {wrong}: gold={_brief(ge[i])} "
                                         f"pred={_brief(pe[j])}{_evidence(pe[j])}")
            matched_gold, matched_pred = {i for i, _ in matched}, {j for _, j in matched}
            report.errors += [f"{doc} {kind} MISSED {_brief(e)}" for i, e in enumerate(ge) if i not in matched_gold]
            report.errors += [f"{doc} {kind} SPURIOUS {_brief(e)}{_evidence(e)}"
                              for j, e in enumerate(pe) if j not in matched_pred]
        p, r, f = prf(tp, npred, ngold)
        report.scores[kind] = {
            "gold": ngold, "pred": npred, "matched": tp, "precision": p, "recall": r, "f1": f,
            "strict_f1": prf(strict, npred, ngold)[2],
            "field_accuracy": {k: round(v / tp, 3) if tp else None for k, v in field_ok.items()}}


def _score_quotes(gold: dict[str, Record], pred: dict[str, Record], report: Report) -> None:
    ngold = npred = hits = speakers = 0
    for doc, g in gold.items():
        gq = [q for q in g.get("quotes", []) if q.get("kind", "direct") == "direct"]
        pq = [q for q in pred.get(doc, {}).get("quotes") or []
              if q.get("kind", "direct") == "direct" and len(_words(q.get("text"))) >= 4]
        ngold, npred = ngold + len(gq), npred + len(pq)
        used: set[int] = set()
        for q in gq:
            key = " ".join(_words(q.get("starts_with"), 5))
            hit = next((j for j, p in enumerate(pq) if j not in used
                        and " ".join(_words(p.get("text"), len(key.split()))) == key), None)
            if hit is None:
                report.errors.append(f"{doc} quote MISSED {q.get('speaker')}: \"{q.get('starts_with')}\"")
                continue
            used.add(hit)
            hits += 1
            last = _words(q.get("speaker"))[-1:]
            if last and last[0] in _words(pq[hit].get("speaker")):
                speakers += 1
            else:
                report.errors.append(f"{doc} quote SPEAKER gold={q.get('speaker')} pred={pq[hit].get('speaker')}: "
                                     f"\"{q.get('starts_with')}\"")
        report.errors += [f"{doc} quote SPURIOUS {p.get('speaker')}: \"{str(p.get('text'))[:80]}\""
                          for j, p in enumerate(pq) if j not in used]
    p, r, f = prf(hits, npred, ngold)
    report.scores["direct_quotes"] = {"gold": ngold, "pred": npred, "precision": p, "recall": r, "f1": f,
                                      "speaker_accuracy": round(speakers / hits, 3) if hits else None}


def _score_flows(gold: dict[str, Record], pred: dict[str, Record], report: Report) -> None:
    ngold = npred = tp = 0
    for doc, g in gold.items():
        gs = {(norm(x["from"]), norm(x["to"]), norm(x.get("commodity"))) for x in g.get("flows", [])}
        ps = {(norm(x.get("from")), norm(x.get("to")), norm(x.get("commodity")))
              for x in pred.get(doc, {}).get("flows") or []}
        ngold, npred, tp = ngold + len(gs), npred + len(ps), tp + len(gs & ps)
        report.errors += [f"{doc} flow MISSED {x}" for x in sorted(gs - ps, key=str)]
        report.errors += [f"{doc} flow SPURIOUS {x}" for x in sorted(ps - gs, key=str)]
    report.scores["flows"] = dict(zip(("precision", "recall", "f1"), prf(tp, npred, ngold)), gold=ngold, pred=npred)


def _score_incidents(gold: dict[str, Record], pred: dict[str, Record], report: Report) -> None:
    matched = []
    for doc, g in gold.items():
        ge = [e for e in g.get("events", []) if e.get("type") == "seizure"]
        pe = [e for e in pred.get(doc, {}).get("events") or [] if e.get("type") == "seizure"]
        for i, j in match_events(ge, pe):
            matched.append((ge[i].get("cluster") or f"{doc}#{i}", pe[j].get("incident") or f"{doc}#p{j}"))
    gold_pairs = pred_pairs = both = 0
    for (g1, p1), (g2, p2) in combinations(matched, 2):
        gold_pairs += g1 == g2
        pred_pairs += p1 == p2
        both += g1 == g2 and p1 == p2
    report.scores["incidents"] = dict(zip(("precision", "recall", "f1"), prf(both, pred_pairs, gold_pairs)),
                                      gold_pairs=gold_pairs, pred_pairs=pred_pairs)


def score(gold: dict[str, Record], pred: dict[str, Record]) -> Report:
    """Every score of the gold format, and the errors behind them."""
    report = Report()
    _score_events(gold, pred, report)
    _score_quotes(gold, pred, report)
    _score_flows(gold, pred, report)
    _score_incidents(gold, pred, report)
    negatives = [d for d, g in gold.items() if not g.get("events")]
    report.scores["negatives"] = {"documents": len(negatives),
                                  "with_spurious_events": sum(bool(pred.get(d, {}).get("events")) for d in negatives)}
    by_language: dict[str, dict[str, Any]] = {}
    for doc, g in gold.items():
        entry = by_language.setdefault(g.get("language", "?"), {"documents": 0, "n": [0, 0, 0]})
        entry["documents"] += 1
        for kind in ("seizure", "aggregate"):
            ge = [e for e in g.get("events", []) if e.get("type") == kind]
            pe = [e for e in pred.get(doc, {}).get("events") or [] if e.get("type") == kind]
            counts = entry["n"]
            counts[0], counts[1], counts[2] = (counts[0] + len(match_events(ge, pe)), counts[1] + len(pe),
                                               counts[2] + len(ge))
    report.scores["by_language"] = {lang: {"documents": v["documents"], "event_f1": prf(*v["n"])[2]}
                                    for lang, v in sorted(by_language.items())}
    s, a = report.scores["seizure"], report.scores["aggregate"]
    report.scores["event_f1"] = prf(s["matched"] + a["matched"], s["pred"] + a["pred"], s["gold"] + a["gold"])[2]
    report.scores["missing_documents"] = sorted(set(gold) - set(pred))
    return report


_ERROR_LINE = re.compile(r"^\S+ (?P<what>seizure|aggregate|quote|flow) (?P<how>WRONG|MISSED|SPURIOUS|SPEAKER)"
                         r"(?: \[(?P<fields>[^\]]*)\])?")


def error_categories(line: str) -> list[str]:
    """The categories one error line counts in: a wrong field ("date", "admin1"...) once per field,
    "missed seizure", "spurious aggregate", "speaker", "missed flow"..."""
    m = _ERROR_LINE.match(line)
    if m is None:
        return ["other"]
    what, how = m.group("what"), m.group("how")
    if how == "WRONG":
        prefix = "" if what == "seizure" else f"{what} "
        return [f"{prefix}{field.strip().strip(chr(39))}" for field in (m.group("fields") or "").split(",")]
    if how == "SPEAKER":
        return ["speaker"]
    return [f"{how.lower()} {what}"]


def group_errors(errors: list[str]) -> dict[str, list[str]]:
    """Error lines by category, the largest category first, so the next person sees where to work."""
    groups: dict[str, list[str]] = {}
    for line in errors:
        for category in error_categories(line):
            groups.setdefault(category, []).append(line)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def load_gold(directory: Path) -> dict[str, Record]:
    """Gold annotations: one STEM.json per document."""
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in sorted(directory.glob("*.json"))}


def format_report(scores: dict[str, Any]) -> str:
    """The score table as text, one line per measure."""
    lines = []
    for kind in ("seizure", "aggregate"):
        v = scores[kind]
        lines.append(f"{kind:10} P {v['precision']:.3f} R {v['recall']:.3f} F1 {v['f1']:.3f} "
                     f"strict-F1 {v['strict_f1']:.3f} (gold {v['gold']}, pred {v['pred']}) "
                     f"fields {v['field_accuracy']}")
    q = scores["direct_quotes"]
    lines.append(f"quotes     P {q['precision']:.3f} R {q['recall']:.3f} F1 {q['f1']:.3f} "
                 f"speaker-acc {q['speaker_accuracy']}")
    fl, inc = scores["flows"], scores["incidents"]
    lines.append(f"flows      P {fl['precision']:.3f} R {fl['recall']:.3f} F1 {fl['f1']:.3f}")
    lines.append(f"incidents  P {inc['precision']:.3f} R {inc['recall']:.3f} F1 {inc['f1']:.3f} "
                 f"(gold pairs {inc['gold_pairs']})")
    lines.append(f"negatives  {scores['negatives']}")
    lines.append(f"languages  {scores['by_language']}")
    lines.append(f"event_f1 {scores['event_f1']:.3f}")
    return "\n".join(lines)
