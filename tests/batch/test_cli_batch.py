"""`borderwatch batch` end to end: exit codes, the output files, the summary, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyspark.sql import SparkSession

from borderwatch.cli import cli

FIXTURES = Path(__file__).parents[1] / "fixtures"
CORPUS = Path(__file__).parents[2] / "examples" / "corpus"
REPORTS = [CORPUS / "2024-11-14_stungtreng-meth-laotiantimes.txt", CORPUS / "2024-11-16_stungtreng-meth-ann.txt"]


@pytest.mark.spark
def test_batch_writes_its_outputs_and_exits_0(spark: SparkSession, tmp_path: Path) -> None:
    out, quarantine = tmp_path / "out", tmp_path / "quarantine"
    empty = FIXTURES / "empty.txt"
    result = CliRunner().invoke(
        cli, ["batch", *map(str, REPORTS), str(empty), "-o", str(out), "--master", "local[2]",
              "--partitions", "2", "--db", str(tmp_path / "bw.db")],
        catch_exceptions=False, env={"BORDERWATCH_QUARANTINE_DIR": str(quarantine)})
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["predictions.jsonl", "predictions.parquet",
                                                     "rejections.jsonl", "rejections.parquet"]
    records = [json.loads(line) for line in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in REPORTS]
    assert f"rejected: {empty}: empty.txt is empty (quarantined to {quarantine / 'empty.txt'})" in result.stderr
    assert (quarantine / "empty.txt").exists()
    for label in ("documents read", "seizure events", "quarantined", "database totals"):
        assert label in result.stderr
    assert "spark: local[2], 2 partitions" in result.stderr


def test_batch_without_java_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["batch", str(REPORTS[0]), "-o", str(tmp_path / "out")],
                                env={"PATH": str(tmp_path), "JAVA_HOME": None, "PYSPARK_GATEWAY_PORT": None})
    assert result.exit_code == 1
    assert result.stderr == ("error: Java not found (no java on PATH, JAVA_HOME unset): install Java 17 or "
                             "newer, e.g. apt-get install openjdk-17-jre-headless\n")
    assert not (tmp_path / "out").exists()
