"""The bilateral brief from a real store filled from the shipped sample corpus."""

from pathlib import Path

import pytest

from borderwatch.brief import build_brief, render_brief, write_brief
from borderwatch.config import Settings
from borderwatch.errors import InputError
from borderwatch.pipeline import ingest
from borderwatch.store.repo import Store

CORPUS = Path(__file__).parent.parent / "examples" / "corpus"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("brief")
    settings = Settings(db=str(folder / "bw.db"), quarantine_dir=str(folder / "q"))
    opened = Store.open(settings.db_url)
    ingest([CORPUS], opened, settings, "ingest examples/corpus")
    return opened


def test_demo_corpus_shows_a_kh_la_asymmetry_table(store: Store) -> None:
    brief = build_brief(store, "KH", "LA", granularity="year")
    total = brief.asymmetry.total
    assert total is not None
    assert total.a.incidents >= 5 and total.b.incidents >= 3       # both sides of the border have seizures
    assert "Stung Treng" in brief.asymmetry.zone["KH"] and "Champasak" in brief.asymmetry.zone["LA"]
    assert total.incidents_ratio.ratio == pytest.approx(total.a.incidents / total.b.incidents)
    assert total.incidents_ratio.low is not None and total.incidents_ratio.low < total.incidents_ratio.ratio
    assert [r.period for r in brief.asymmetry.rows] == sorted(r.period for r in brief.asymmetry.rows)


def test_the_same_seizure_in_two_outlets_counts_once(store: Store) -> None:
    rows = store.events(limit=1000)
    vue_yeng = [r.event for r in rows if any(i.count == 1034413 for i in r.event.items)]
    assert len(vue_yeng) == 2 and len({e.incident for e in vue_yeng}) == 1


def test_brief_html_reads_as_a_report(store: Store, tmp_path: Path) -> None:
    html = render_brief(build_brief(store, "Cambodia", "Laos"))
    assert "<svg" in html and "cdn" not in html.lower()
    assert "What the data show" in html and "What the data cannot show" in html
    assert "Clopper-Pearson" in html
    assert "95% interval" in html
    path = write_brief(build_brief(store, "KH", "LA"), tmp_path / "brief.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unknown_country_is_an_input_error(store: Store) -> None:
    with pytest.raises(InputError, match="unknown country 'Atlantis'"):
        build_brief(store, "Atlantis", "LA")


@pytest.mark.browser
def test_brief_prints_to_pdf_with_chromium(store: Store, tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed (scripts/test-setup.sh installs it as root)")
    path = write_brief(build_brief(store, "KH", "LA"), tmp_path / "brief.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
