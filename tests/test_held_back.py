"""The held-back halves the accuracy report scores: each blind set's README names real documents."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = importlib.util.spec_from_file_location("held_back", ROOT / "scripts" / "held_back.py")
assert SPEC and SPEC.loader
held_back = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(held_back)

SETS = sorted(p.parent for p in ROOT.glob("tests/fixtures/blind*/README.md")
              if "## Held-back half" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_held_back_half_lists_documents_of_the_set(folder: Path) -> None:
    stems = held_back.held_back_stems(folder / "README.md")
    documents = sorted(p.stem for p in folder.glob("*.json"))
    assert stems and set(stems) <= set(documents)
    assert len(stems) == len(documents) // 2  # half the set, as the README says


def test_links_go_under_all_and_each_language(tmp_path: Path) -> None:
    assert SETS, "no blind set with a held-back half"
    assert held_back.main([str(SETS[0]), "--out", str(tmp_path)]) == 0
    linked = sorted(tmp_path.glob("all/*.json"))
    assert len(linked) == len(held_back.held_back_stems(SETS[0] / "README.md"))
    language = json.loads(linked[0].read_text(encoding="utf-8"))["language"]
    assert (tmp_path / language / linked[0].name).is_symlink()


def test_a_folder_without_a_held_back_table_is_refused(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# a set\n\n## Cases\n| stem |\n|---|\n| x-01 |\n", encoding="utf-8")
    assert held_back.main([str(tmp_path), "--out", str(tmp_path / "out")]) == 2
