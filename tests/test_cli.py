"""The command line end to end: exit codes, one-line errors, the seed report, bad inputs."""

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from borderwatch.cli import cli

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SHARED = HERE.parents[1] / "shared"
SEED = SHARED / "eval" / "dev" / "s00-seed-laos-drugs.txt"
CORPUS = HERE.parent / "examples" / "corpus"


def _run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, catch_exceptions=False,
                                env={"BORDERWATCH_QUARANTINE_DIR": str(cwd / "quarantine")})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def seed_record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not SEED.exists():
        pytest.skip(f"seed report not found at {SEED} (a user's own clone has no ../shared; CI has it)")
    out = tmp_path_factory.mktemp("seed") / "facts.jsonl"
    code, _, _ = _run(["extract", str(SEED), "--format", "jsonl", "-o", str(out)], out.parent)
    assert code == 0
    (line,) = out.read_text(encoding="utf-8").splitlines()
    return json.loads(line)


def test_seed_has_one_aggregate_and_no_seizure(seed_record: dict) -> None:
    assert seed_record["id"] == "s00-seed-laos-drugs"
    kinds = [e["type"] for e in seed_record["events"]]
    assert kinds == ["aggregate"]
    (agg,) = seed_record["events"]
    assert agg["country"] == "KH"
    assert agg["period_end"] == "2020-08-17"
    assert agg["arrests"] == 13460
    assert [i["mass_kg"] for i in agg["items"]] == [682]
    assert "Combating Drugs" in (agg["agency"] or "") or agg["agency"] == "NACD"


def test_seed_quotes_have_the_right_speakers(seed_record: dict) -> None:
    direct = [(q["speaker"], q["text"]) for q in seed_record["quotes"] if q["kind"] == "direct"]
    assert {"Sar Kheng", "Meas Vyrith", "Jeremy Douglas"} <= {s for s, _ in direct}

    def speaker_of(opening: str) -> str:
        (speaker,) = [s for s, text in direct if text.startswith(opening)]
        return speaker

    assert speaker_of("When I held an annual meeting") == "Sar Kheng"
    assert speaker_of("They were surprised and appeared") == "Sar Kheng"  # same paragraph, after "he said"
    assert speaker_of("In fact, we have received") == "Sar Kheng"         # continuation paragraph
    assert speaker_of("If you look at the real practice") == "Meas Vyrith"
    assert speaker_of("The drug trafficking and use problem") == "Jeremy Douglas"
    assert speaker_of("We have no specific proof") == "Jeremy Douglas"
    # fragments under four words in quotation marks are not quotes
    assert not [t for _, t in direct if t.startswith(("really accelerated", "zero tolerance"))]


def test_seed_flows(seed_record: dict) -> None:
    flows = {(f["from"], f["to"], f["commodity"]) for f in seed_record["flows"]}
    assert {("LA", "KH", "drugs"), ("LA", "TH", "drugs"), ("LA", "VN", "drugs")} <= flows


def test_seed_reader_comment_is_kept_apart(seed_record: dict) -> None:
    assert seed_record["comments"] == 1
    text = SEED.read_text(encoding="utf-8")
    for fact in seed_record["events"] + seed_record["quotes"] + seed_record["flows"]:
        for span in fact["evidence"]:
            assert span["end"] <= text.index("1 comment:")


def test_original_seed_in_the_corpus_is_read_the_same_way(tmp_path: Path) -> None:
    original = SHARED / "corpus" / "000_25e7a0ac8f0d1179.txt"
    if not original.exists():
        pytest.skip(f"{original} not found (a user's own clone has no ../shared; CI has it)")
    out = tmp_path / "o.jsonl"
    assert _run(["extract", str(original), "-o", str(out)], tmp_path)[0] == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [e["type"] for e in record["events"]] == ["aggregate"]


def test_missing_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = _run(["extract", str(tmp_path / "nope.txt")], tmp_path)
    assert code == 2
    assert err == f"error: no such file or directory: {tmp_path / 'nope.txt'}\n"
    assert out == ""


def test_unknown_export_format_lists_the_choices(tmp_path: Path) -> None:
    code, _, err = _run(["export", "--format", "rdf", "-o", "x"], tmp_path)
    assert code == 2
    assert "'rdf' is not one of 'csv', 'jsonl', 'geojson', 'parquet'" in err


def test_unreachable_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    code, _, err = _run(["db", "upgrade", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"], tmp_path)
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1


@pytest.mark.parametrize("command", [[], ["extract"], ["ingest"], ["export"], ["serve"], ["eval"], ["analyze"],
                                     ["analyze", "asymmetry"], ["brief"], ["db", "upgrade"]])
def test_every_command_explains_itself(command: list[str], tmp_path: Path) -> None:
    code, out, _ = _run([*command, "--help"], tmp_path)
    assert code == 0
    assert "Usage: " in out and len(out.splitlines()) > 4


def test_bad_inputs_are_quarantined_and_the_rest_is_stored(tmp_path: Path) -> None:
    reports = tmp_path / "in"
    reports.mkdir()
    for name in ("empty.txt", "photo-saved-as.txt", "undecodable.txt", "rate-limited.html",
                 "truncated-head.html", "report.pdf", "cp1252-report.txt"):
        shutil.copy(FIXTURES / name, reports / name)
    good = sorted(CORPUS.glob("2024-11-1*.txt"))
    for path in good:
        shutil.copy(path, reports / path.name)
    db = tmp_path / "bw.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(reports), "--db", str(db)], catch_exceptions=False,
                           env={"BORDERWATCH_QUARANTINE_DIR": str(tmp_path / "q")})
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("rejected: ")]
    reasons = {"empty.txt": "empty", "photo-saved-as.txt": "binary", "undecodable.txt": "encoding",
               "rate-limited.html": "broken-html", "truncated-head.html": "no-text", "report.pdf": "unsupported-type"}
    assert len(lines) == len(reasons)
    for name in reasons:
        (line,) = [x for x in lines if f"{reports / name}:" in x]
        assert f"quarantined to {tmp_path / 'q'}" in line
        assert (tmp_path / "q" / name).read_bytes() == (reports / name).read_bytes()
    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("select id from documents")}
        rejected = dict(conn.execute("select source, reason from rejections where stage = 'ingest'").fetchall())
    assert stored == {"cp1252-report"} | {p.stem for p in good}
    assert {Path(k).name: v for k, v in rejected.items()} == reasons
    # a second run adds nothing
    again = runner.invoke(cli, ["ingest", str(reports), "--db", str(db)], catch_exceptions=False,
                          env={"BORDERWATCH_QUARANTINE_DIR": str(tmp_path / "q")})
    assert again.exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone()[0] == len(stored)
        assert conn.execute("select count(*) from events").fetchone()[0] > 0


def test_db_upgrade_renders_records_of_events_stored_before(tmp_path: Path) -> None:
    db = tmp_path / "bw.db"
    code, _, _ = _run(["ingest", str(CORPUS / "2024-11-14_stungtreng-meth-laotiantimes.txt"), "--db", str(db)], tmp_path)
    assert code == 0
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM events WHERE record_format IS NOT NULL").fetchone()[0]
        assert stored > 0
        conn.execute("UPDATE events SET record = NULL, record_format = NULL")
    code, _, err = _run(["db", "upgrade", "--db", str(db)], tmp_path)
    assert code == 0
    assert f"({stored} event records rendered)" in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE record IS NULL").fetchone()[0] == 0


def test_feeds_and_web_archives_are_ingested_record_by_record(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("mekong-wire.xml", "truncated.warc.gz"):
        shutil.copy(FIXTURES / name, inputs / name)
    db, quarantine = tmp_path / "bw.db", tmp_path / "q"
    env = {"BORDERWATCH_QUARANTINE_DIR": str(quarantine)}
    result = CliRunner().invoke(cli, ["ingest", str(inputs), "--db", str(db)], catch_exceptions=False, env=env)
    assert result.exit_code == 0
    feed, warc = inputs / "mekong-wire.xml", inputs / "truncated.warc.gz"
    with sqlite3.connect(db) as conn:
        sources = sorted(row[0] for row in conn.execute("select source from documents"))
        rejected = conn.execute(
            "select source, reason, quarantine_path from rejections where stage = 'ingest'").fetchall()
    # two feed entries with text, two whole records; the empty entry and the cut record set aside
    assert [s for s in sources if s.startswith(f"{feed}#entry=")] == [f"{feed}#entry=1", f"{feed}#entry=2"]
    assert len([s for s in sources if s.startswith(f"{warc}#offset=")]) == 2 and len(sources) == 4
    by_reason = {reason: (source, where) for source, reason, where in rejected}
    assert set(by_reason) == {"no-text", "truncated-record"}
    source, where = by_reason["truncated-record"]
    offset = int(source.rpartition("#offset=")[2])
    assert where == str(quarantine / f"truncated.{offset}.warc.gz")
    assert Path(where).read_bytes() == warc.read_bytes()[offset:]  # the bad record only, not the archive
    assert f"rejected: {source}: gzip member at offset {offset} is cut off" in result.stderr
    assert b"Photo gallery: border market" in (quarantine / "mekong-wire.entry-3.xml").read_bytes()
    again = CliRunner().invoke(cli, ["ingest", str(inputs), "--db", str(db)], catch_exceptions=False, env=env)
    assert again.exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone()[0] == 4


def test_extract_writes_one_line_per_page_of_a_web_archive(tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    code, _, _ = _run(["extract", str(FIXTURES / "crawl.warc.gz"), "--format", "jsonl", "-o", str(out)], tmp_path)
    assert code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2  # two pages; request, metadata, image, redirect and 404 are not documents
    assert all(r["id"].startswith("crawl-") for r in records)
    assert [r["published"] for r in records] == ["2024-11-04", "2024-11-05"]
    seizures = [e for r in records for e in r["events"] if e["type"] == "seizure"]
    assert any(i.get("mass_kg") == 30 for e in seizures for i in e["items"])


@pytest.mark.parametrize(("args", "line"), [
    (["export", "--format", "csv", "-o", "x.csv", "--from", "2024-13-01"],
     "Error: Invalid value for '--from': '2024-13-01' is not a date (expected: YYYY-MM-DD, YYYY-MM or YYYY)"),
    (["export", "--format", "csv", "-o", "x.csv", "--to", "0000-01-01"],
     "Error: Invalid value for '--to': '0000-01-01' is not a date (expected: YYYY-MM-DD, YYYY-MM or YYYY)"),
    (["export", "--format", "csv", "-o", "x.csv", "--country", "Atlantis"],
     ("Error: Invalid value for '--country': unknown country 'Atlantis' (expected: an ISO 3166 code such as KH, "
     "LA, TH, VN, MM, CN, or a country name)")),
    (["analyze", "asymmetry", "KH", "XX"],
     ("Error: Invalid value for 'B': unknown country 'XX' (expected: an ISO 3166 code such as KH, LA, TH, VN, MM, "
     "CN, or a country name)")),
])
def test_bad_options_are_one_line_and_exit_2(args: list[str], line: str, tmp_path: Path) -> None:
    code, _, err = _run(args, tmp_path)
    assert code == 2
    assert err.strip().splitlines()[-1] == line


@pytest.mark.parametrize("command", [["export", "--format", "csv", "-o", "x.csv"], ["analyze", "coverage"],
                                     ["analyze", "asymmetry", "KH", "LA"], ["brief", "KH", "LA", "-o", "b.html"]])
def test_a_read_command_never_creates_a_database(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    code, _, err = _run([*command, "--db", str(missing)], tmp_path)
    assert code == 2
    assert err.strip() == (f"error: no database at {missing}: create it with "
                           f"'borderwatch ingest REPORTS --db {missing}'")
    assert not missing.exists()


def test_an_unsupported_database_url_is_one_line(tmp_path: Path) -> None:
    code, _, err = _run(["export", "--format", "csv", "-o", "x.csv", "--db", "mysql://x"], tmp_path)
    assert code == 2
    assert err.strip() == ("error: unsupported database URL mysql://x (expected: sqlite:///path, a file path, "
                           "or postgresql+psycopg://user@host/db)")


def test_country_names_are_read_as_codes(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert _run(["ingest", str(CORPUS), "--db", str(db)], tmp_path)[0] == 0
    by_name = _run(["export", "--format", "jsonl", "-o", str(tmp_path / "n.jsonl"), "--db", str(db),
                    "--country", "Cambodia"], tmp_path)
    by_code = _run(["export", "--format", "jsonl", "-o", str(tmp_path / "c.jsonl"), "--db", str(db),
                    "--country", "KH"], tmp_path)
    assert by_name[0] == by_code[0] == 0
    rows = (tmp_path / "n.jsonl").read_text(encoding="utf-8")
    assert rows and rows == (tmp_path / "c.jsonl").read_text(encoding="utf-8")


def test_help_loads_no_heavy_library() -> None:
    """Help is fast because the command module imports no NLP, database or web library at import time."""
    import subprocess
    import sys

    probe = ("import sys, borderwatch.cli; heavy = [m for m in ('spacy', 'sqlalchemy', 'fastapi', 'pyarrow', "
             "'trafilatura') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _commands(group: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    import click

    out = [path]
    if isinstance(group, click.Group):
        for name, sub in group.commands.items():
            out.extend(_commands(sub, (*path, name)))
    return out


@pytest.mark.parametrize("path", _commands(cli), ids=lambda p: " ".join(p) or "borderwatch")
def test_every_help_has_examples(path: tuple[str, ...], tmp_path: Path) -> None:
    code, out, _ = _run([*path, "--help"], tmp_path)
    assert code == 0
    assert re.search(r"Examples:\n +(?:borderwatch|BORDERWATCH_PASSWORD=\.\.\. borderwatch) ", out)


def test_progress_is_shown_when_piped(tmp_path: Path) -> None:
    """Without a terminal the bar cannot redraw, so plain lines report the progress."""
    code, _, err = _run(["extract", str(CORPUS), "-o", str(tmp_path / "f.jsonl")], tmp_path)
    total = len([p for p in CORPUS.iterdir() if p.suffix in (".txt", ".html")])
    assert code == 0
    assert f"extracting: {total}/{total} files" in err
