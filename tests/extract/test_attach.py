"""The trained province attachment: candidates, features, shipped weights and the training script."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

from borderwatch.config import Settings
from borderwatch.errors import ConfigError
from borderwatch.extract import Extractor
from borderwatch.extract.attach import FEATURES, MODEL_PATH, attach_provinces, load_model, province_candidates
from borderwatch.extract.context import read_layout
from borderwatch.extract.events import extract_events
from borderwatch.extract.nlp import load_nlp
from borderwatch.geo.gazetteer import Gazetteer
from borderwatch.model import Document

ROOT = Path(__file__).resolve().parents[2]
REPORT = ("Savannakhet police have stepped up patrols along the Mekong this month, officials said on Friday.\n\n"
          "On Thursday officers stopped a pickup truck and seized 12 kilograms of methamphetamine {} Champasak "
          "province, police said.\n")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def _doc(text: str) -> Document:
    return Document(id="t", text=text, content_hash="h", source="test", language="en", published="2024-03-15",
                    published_precision="day")


def test_the_shipped_weights_load_with_one_weight_per_feature() -> None:
    model = load_model()
    assert len(model.weights) == len(FEATURES)
    trained = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["trained"]
    assert trained["documents"] > 100 and 0 < trained["positives"] < trained["candidates"]


def test_weights_for_other_features_are_refused(tmp_path: Path) -> None:
    stale = tmp_path / "attachment.json"
    stale.write_text(json.dumps({"features": ["rule"], "weights": [1.0], "bias": 0.0}), encoding="utf-8")
    with pytest.raises(ConfigError, match="trained on other features"):
        load_model(stale)


def test_an_unknown_province_model_setting_names_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"expected: auto, on, off"):
        Extractor(Settings(province_model="sometimes"))


def test_a_source_cue_before_a_province_moves_the_haul_to_the_other_province(gazetteer: Gazetteer) -> None:
    nlp, model = load_nlp(), load_model()
    chosen, cued = {}, {}
    for words in ("smuggled from", "in"):
        doc = _doc(REPORT.format(words))
        parsed = nlp(doc.text)
        events, _ = extract_events(doc, parsed, gazetteer)
        [event] = attach_provinces(doc, parsed, gazetteer, events, model)
        candidates = province_candidates(read_layout(doc, parsed, gazetteer), gazetteer, events)[0]
        champasak = next(c for c in candidates if c.admin1 == "Champasak")
        chosen[words] = event.admin1
        cued[words] = (champasak.features[FEATURES.index("source_cue")], model.score(champasak))
        assert any(s.field == "admin1" and event.admin1 in s.text for s in event.evidence), event.evidence
    assert chosen == {"smuggled from": "Savannakhet", "in": "Champasak"}
    assert cued["smuggled from"][0] == 1.0 and cued["in"][0] == 0.0
    assert cued["smuggled from"][1] < cued["in"][1]


def test_every_event_gets_the_rules_choice_first_and_no_province_last_among_its_candidates(
        gazetteer: Gazetteer) -> None:
    doc = _doc(REPORT.format("in"))
    parsed = load_nlp()(doc.text)
    events, _ = extract_events(doc, parsed, gazetteer)
    [candidates] = province_candidates(read_layout(doc, parsed, gazetteer), gazetteer, events)
    assert candidates[0].rule and candidates[0].admin1 == events[0].admin1
    assert candidates[-1].admin1 is None and sum(c.rule for c in candidates) == 1


def _training_script() -> object:
    spec = importlib.util.spec_from_file_location("train_attachment", ROOT / "scripts" / "train_attachment.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_training_script_writes_the_same_weights_of_the_right_shape_twice(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="scikit-learn (the dev extra) trains the model")
    if not (ROOT.parent / "shared" / "eval" / "score.py").exists():
        pytest.skip("../shared/eval/score.py not found (a user's own clone has no ../shared; CI has it)")
    sets = []
    corpus = ROOT / "examples" / "corpus"
    for name, stems in (("a", ["2023-10-06_attapeu-meth-illustrative", "2024-02-19_champasak-meth-illustrative"]),
                        ("b", ["2025-06-10_stungtreng-two-seizures-illustrative",
                               "2025-03-18_preahvihear-meth-illustrative"])):
        folder = tmp_path / name
        folder.mkdir()
        for stem in stems:
            for path in corpus.glob(f"{stem}.*"):
                shutil.copy(path, folder / path.name)
        sets.append(str(folder))
    script = _training_script()
    written = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.json"
        script.main(["--sets", *sets, "--out", str(out)])  # type: ignore[attr-defined]
        written.append(out.read_text(encoding="utf-8"))
    assert written[0] == written[1]
    weights = json.loads(written[0])
    assert weights["features"] == list(FEATURES) and len(weights["weights"]) == len(FEATURES)
    assert weights["trained"]["documents"] == 4 and isinstance(weights["enabled"], bool)
    assert load_model(tmp_path / "first.json").weights == tuple(weights["weights"])
