#!/usr/bin/env python3
"""Train the province attachment model (borderwatch/extract/attach.py) on the project's gold sets.

usage: python scripts/train_attachment.py [--out PATH] [--sets DIR ...]

Every event the rules extract from a gold document is matched to a gold event as score.py matches
them; each of its candidates (attach.province_candidates) is labelled positive when its province is
the gold admin1 ("no province" when the gold has none). A logistic regression (scikit-learn, a dev
dependency; fixed seed, deterministic) is fitted and its weights written as JSON for the package.

The held-back halves of the blind sets (listed under "Held-back half" in each README) are left out
by stem, and tests/fixtures/blind2-* is never read. The script first reports leave-one-set-out
cross-validation (admin1 accuracy on matched seizures and seizure strict F1 by score.py, rules alone
against rules plus the model); the weights are marked enabled only when it shows a gain and no loss.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.linear_model import LogisticRegression

from borderwatch.config import Settings
from borderwatch.evaluate import fold_place, match_events
from borderwatch.extract import Extractor
from borderwatch.extract.attach import FEATURES, MODEL_PATH, AttachmentModel, Candidate
from borderwatch.model import Facts
from borderwatch.pipeline import extract_file
from borderwatch.records import prediction_record

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
SETS = [SHARED / "dev", SHARED / "dev2", ROOT / "examples" / "corpus", ROOT / "tests" / "fixtures" / "challenge",
        *(ROOT / "tests" / "fixtures" / name for name in ("blind", "blind-ja", "blind-vi", "blind-th", "blind-zh",
                                                          "blind-kmlo", "blind-en-pages"))]
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
"""Inverse regularisation strengths tried; each is chosen by leave-one-set-out on the training sets only."""
SEED = 0
_REPORT_SUFFIXES = (".txt", ".html", ".htm")


class _Recorder:
    """A chooser that keeps the rules' choice and remembers every event's candidates."""

    def __init__(self) -> None:
        self.seen: list[list[Candidate]] = []

    def choose(self, candidates: list[Candidate]) -> int:
        self.seen.append(candidates)
        return 0


@dataclass
class _Document:
    """One gold document read by the rules: its gold, its prediction record, each event's candidates."""

    set_name: str
    gold: dict[str, Any]
    prediction: dict[str, Any]
    candidates: list[list[Candidate]]  # in the order of the prediction's seizure events


def held_back(folder: Path) -> set[str]:
    """The stems a blind set's README lists under its "Held-back half" heading."""
    readme = folder / "README.md"
    if not readme.exists():
        return set()
    stems, inside = set(), False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            inside = bool(re.match(r"##\s+Held-back", line, re.IGNORECASE))
            continue
        m = re.match(r"\|\s*([a-z0-9][\w.-]*)\s*\|", line)
        if inside and m and m.group(1) != "stem":
            stems.add(m.group(1))
    return stems


def read_sets(folders: Iterable[Path]) -> list[_Document]:
    """Every usable gold document of the folders, read by the rules alone."""
    recorder = _Recorder()
    settings = Settings(quarantine_dir=tempfile.mkdtemp(prefix="attachment-quarantine-"))
    extractor = Extractor(settings, chooser=recorder)
    out = []
    for folder in folders:
        if folder.name.startswith("blind2"):
            raise SystemExit(f"{folder} is kept for later measurement: never train on it")
        excluded = held_back(folder)
        for gold_path in sorted(folder.glob("*.json")):
            if gold_path.stem in excluded:
                continue
            report = next((gold_path.with_suffix(s) for s in _REPORT_SUFFIXES if gold_path.with_suffix(s).exists()),
                          None)
            if report is None:
                continue
            recorder.seen.clear()
            facts = [f for f in extract_file(report, settings, extractor) if isinstance(f, Facts)]
            if len(facts) != 1 or len(recorder.seen) != len(facts[0].events):
                continue  # a split or rejected report: not one document's events
            prediction = prediction_record(facts[0])
            candidates = list(recorder.seen)
            out.append(_Document(folder.name, json.loads(gold_path.read_text(encoding="utf-8")), prediction,
                                 candidates))
    return out


def _seizures(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in record.get("events", []) if e.get("type") == "seizure"]


def examples(documents: list[_Document]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Candidate feature rows, their labels and their set, for events matched to a gold event whose
    province is among the candidates."""
    rows, labels, groups = [], [], []
    for document in documents:
        predicted = _seizures(document.prediction)
        for i, j in match_events(_seizures(document.gold), predicted):
            gold = fold_place(_seizures(document.gold)[i].get("admin1"))
            candidates = document.candidates[j]
            positive = [fold_place(c.admin1) == gold for c in candidates]
            if not any(positive):
                continue
            for candidate, label in zip(candidates, positive, strict=True):
                rows.append(candidate.features)
                labels.append(int(label))
                groups.append(document.set_name)
    return np.array(rows, dtype=float), np.array(labels, dtype=int), groups


def fit(x: np.ndarray, y: np.ndarray, c: float) -> AttachmentModel:
    """A logistic regression over the candidates, as plain weights."""
    model = LogisticRegression(C=c, max_iter=5000, random_state=SEED)
    model.fit(x, y)
    return AttachmentModel(tuple(round(float(w), 6) for w in model.coef_[0]), round(float(model.intercept_[0]), 6))


def _correct(documents: list[_Document], model: AttachmentModel) -> int:
    """How many matched seizures get the gold province from ``model``."""
    right = 0
    for document in documents:
        gold, predicted = _seizures(document.gold), _seizures(document.prediction)
        for i, j in match_events(gold, predicted):
            candidates = document.candidates[j]
            right += fold_place(candidates[model.choose(candidates)].admin1) == fold_place(gold[i].get("admin1"))
    return right


def choose_c(documents: list[_Document]) -> float:
    """The regularisation that does best leaving one of these documents' sets out at a time."""
    names = sorted({d.set_name for d in documents})
    folds = [([d for d in documents if d.set_name != n], [d for d in documents if d.set_name == n]) for n in names]
    data = [(examples(train), held) for train, held in folds]
    totals = [sum(_correct(held, fit(x, y, c)) for (x, y, _), held in data if len(set(y)) == 2) for c in C_GRID]
    return C_GRID[totals.index(max(totals))]


def train(documents: list[_Document]) -> tuple[AttachmentModel, float]:
    """The model fitted on all of ``documents``, with the regularisation chosen on them alone."""
    c = choose_c(documents)
    x, y, _ = examples(documents)
    return fit(x, y, c), c


def apply(documents: list[_Document], model: AttachmentModel | None) -> dict[str, dict[str, Any]]:
    """The prediction records with each seizure's province as ``model`` chooses it (the rules' without)."""
    out = {}
    for document in documents:
        record = json.loads(json.dumps(document.prediction))
        for event, candidates in zip(_seizures(record), document.candidates, strict=True):
            if model is None:
                continue
            chosen = candidates[model.choose(candidates)]
            event["admin1"] = chosen.admin1
            event["country"] = chosen.country or event.get("country")
        out[record["id"]] = record
    return out


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SHARED / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {SHARED / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(documents: list[_Document], predictions: dict[str, dict[str, Any]]) -> tuple[float | None, float, int]:
    """admin1 accuracy on matched seizures and seizure strict F1, as score.py computes them."""
    result, _ = _score_module().score({d.gold["id"]: d.gold for d in documents}, predictions)
    seizure = result["seizure"]
    return seizure["field_accuracy"]["admin1"], seizure["strict_f1"], seizure["matched"]


def cross_validate(documents: list[_Document]) -> list[dict[str, Any]]:
    """Leave one set out: train on the others (choosing the regularisation among them), measure on it,
    rules alone against rules plus model."""
    rows = []
    trained: dict[str, AttachmentModel] = {}
    names = sorted({d.set_name for d in documents}, key=[d.set_name for d in documents].index)
    for name in [*names, "all"]:
        if name == "all":
            held = documents
            chosen = {}
            for other in names:
                chosen.update(apply([d for d in documents if d.set_name == other],
                                    trained[other]))
        else:
            held = [d for d in documents if d.set_name == name]
            trained[name] = train([d for d in documents if d.set_name != name])[0]
            chosen = apply(held, trained[name])
        rules = measure(held, apply(held, None))
        model = measure(held, chosen)
        rows.append({"set": name, "documents": len(held), "matched": rules[2],
                     "admin1_rules": rules[0], "admin1_model": model[0],
                     "strict_f1_rules": rules[1], "strict_f1_model": model[1]})
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="*", type=Path, default=SETS, help="gold folders (default: all but held back)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the weights JSON")
    args = parser.parse_args(argv)
    documents = read_sets(s for s in args.sets if s.is_dir())
    print("| set | docs | matched seizures | admin1 rules | admin1 rules+model | strict F1 rules | "
          "strict F1 rules+model |\n|---|---|---|---|---|---|---|")
    rows = cross_validate(documents)
    for row in rows:
        print(f"| {row['set']} | {row['documents']} | {row['matched']} | {row['admin1_rules']} | "
              f"{row['admin1_model']} | {row['strict_f1_rules']} | {row['strict_f1_model']} |")
    pooled = rows[-1]
    # On by default only when leaving sets out shows it helps and costs nothing on strict F1.
    gains = (pooled["admin1_model"] or 0) - (pooled["admin1_rules"] or 0), \
        pooled["strict_f1_model"] - pooled["strict_f1_rules"]
    enabled = min(gains) >= 0 and max(gains) > 0
    model, c = train(documents)
    _, y, groups = examples(documents)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "features": list(FEATURES), "weights": list(model.weights), "bias": model.bias, "enabled": enabled,
        "trained": {"model": f"scikit-learn {sklearn_version} LogisticRegression(C={c})", "seed": SEED,
                    "sets": sorted(set(groups)), "documents": len(documents), "candidates": len(y),
                    "positives": int(y.sum()), "cross_validation": pooled},
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(y)} candidates ({int(y.sum())} positive) from {len(documents)} documents, "
          f"C={c}, {'enabled' if enabled else 'not enabled'} by default")


if __name__ == "__main__":
    main(sys.argv[1:])
