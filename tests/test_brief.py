"""The bilateral brief from a real store filled from the shipped sample corpus."""

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from borderwatch.brief import build_brief, render_brief, write_brief
from borderwatch.config import Settings
from borderwatch.errors import InputError
from borderwatch.model import Facts
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
    # Most of the sample corpus's KH-LA seizures are illustrative reports: counted only when asked.
    brief = build_brief(store, "KH", "LA", granularity="year", include_illustrative=True)
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


def test_quantities_are_per_substance_never_summed(store: Store) -> None:
    brief = build_brief(store, "KH", "LA", commodity="drugs", include_illustrative=True)
    kh = {t.substance: t for t in brief.substances if t.country == "KH"}
    assert {"methamphetamine", "ketamine"} <= set(kh)           # two substances, two rows
    rows = store.events(limit=1000)
    ketamine = max(i.mass_kg or 0 for r in rows if r.event.country == "KH" for i in r.event.items
                   if i.substance == "ketamine")
    assert kh["ketamine"].mass_kg == pytest.approx(ketamine)     # not ketamine + methamphetamine
    html = render_brief(brief)
    assert not re.search(r"[^\d,.]0\.0 kg", html)


def test_an_unknown_amount_reads_unknown() -> None:
    from borderwatch.brief import SubstanceTotal, _amount

    assert _amount(SubstanceTotal("KH", "drugs", "heroin", incidents=1)) == "unknown"
    assert _amount(SubstanceTotal("KH", "drugs", "heroin", 2, 1.5, 300, "tablets")) == "1.5 kg; 300 tablets"


def test_every_figure_and_quote_cites_a_numbered_source(store: Store) -> None:
    brief = build_brief(store, "KH", "LA", commodity="drugs")
    numbers = {s.number for s in brief.sources}
    assert numbers == set(range(1, len(brief.sources) + 1))
    assert all(t.sources and set(t.sources) <= numbers for t in brief.substances)
    assert all(c.source in numbers for c in brief.claims)
    html = render_brief(brief)
    assert '<ol class="sources">' in html
    for source in brief.sources:
        if source.url:
            assert source.url in html
    assert f"dated {brief.first_date} to {brief.last_date}" in html


def test_a_drugs_brief_quotes_no_timber_talk(store: Store) -> None:
    from borderwatch.extract.lexicon import find_substances
    from borderwatch.lang import load_language

    claims = build_brief(store, "KH", "LA", commodity="drugs").claims
    assert all("timber" not in {s.commodity for s in find_substances(c.quote.text, load_language("en"))} for c in claims)
    everything = build_brief(store, "KH", "LA").claims
    assert len(everything) >= len(claims)


def test_internal_names_do_not_leak(store: Store) -> None:
    html = render_brief(build_brief(store, "KH", "LA"))
    assert "{'" not in html and "':" not in html


def test_an_empty_selection_is_an_error_not_a_brief(store: Store) -> None:
    with pytest.raises(InputError, match="nothing to brief"):
        build_brief(store, "KH", "LA", date_from="2090-01-01")


def test_the_format_comes_from_the_suffix(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown brief format '\.docx'"):
        write_brief(build_brief(store, "KH", "LA"), tmp_path / "brief.docx")
    assert not (tmp_path / "brief.docx").exists()


def test_the_map_shows_both_countries(store: Store) -> None:
    brief = build_brief(store, "KH", "LA")
    assert brief.map_svg.startswith("<svg") and "Seizure incidents by province" in brief.map_svg


def _ordinary_and_illustrative(tmp_path: Path, make_facts: Callable[..., Facts]) -> Store:
    """Two reports of two different VN seizures, one from a real outlet, one from an illustrative desk."""
    store = Store.open(f"sqlite:///{tmp_path / 'two.db'}")
    store.add(make_facts("ordinary"))
    sample = make_facts("sample", text=make_facts().document.text.replace("HANOI", "VINH "),
                        outlet="Mekong Border Desk (illustrative)")
    sample.events = [dataclasses.replace(e, incident=f"sample-{e.id}") for e in sample.events]
    store.add(sample)
    return store


def test_illustrative_reports_are_left_out_of_the_figures_and_listed(tmp_path: Path,
                                                                     make_facts: Callable[..., Facts]) -> None:
    with _ordinary_and_illustrative(tmp_path, make_facts) as store:
        brief = build_brief(store, "VN", "LA")
    assert brief.country_asymmetry.total is not None and brief.country_asymmetry.total.a.incidents == 1
    heroin = next(t for t in brief.substances if t.substance == "heroin")
    assert heroin.incidents == 1 and heroin.mass_kg == 12.5
    assert [(s.doc_id, s.illustrative, s.counted) for s in brief.left_out] == [("sample", True, False)]
    assert {s.doc_id for s in brief.sources} == {"ordinary", "sample"}
    assert all(n in {s.number for s in brief.sources if s.counted} for n in heroin.sources)
    html = render_brief(brief)
    assert "1 illustrative report(s) left out" in html and "from 1 numbered source(s)" in html
    assert "[illustrative: left out of the figures]</strong> Mekong Border Desk (illustrative)" in html


def test_include_illustrative_counts_them_and_says_so(tmp_path: Path, make_facts: Callable[..., Facts]) -> None:
    with _ordinary_and_illustrative(tmp_path, make_facts) as store:
        brief = build_brief(store, "VN", "LA", include_illustrative=True)
    assert brief.country_asymmetry.total is not None and brief.country_asymmetry.total.a.incidents == 2
    assert next(t for t in brief.substances if t.substance == "heroin").incidents == 2
    assert brief.left_out == [] and [s.doc_id for s in brief.sources if s.illustrative] == ["sample"]
    html = render_brief(brief)
    assert "Illustrative reports are counted" in html and "--include-illustrative" in html
    assert "[illustrative]</strong> Mekong Border Desk" in html and "illustrative report(s) left out" not in html


def test_cli_brief_takes_include_illustrative(tmp_path: Path, make_facts: Callable[..., Facts]) -> None:
    from click.testing import CliRunner

    from borderwatch.cli import cli

    only = Store.open(f"sqlite:///{tmp_path / 'only.db'}")
    only.add(make_facts("sample", outlet="Lao Border Bulletin (illustrative)"))
    only.close()
    args = ["brief", "VN", "LA", "-o", str(tmp_path / "b.html"), "--db", str(tmp_path / "only.db")]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code != 0 and "1 illustrative report(s) left out: --include-illustrative counts them" \
        in refused.output
    counted = CliRunner().invoke(cli, [*args, "--include-illustrative"])
    assert counted.exit_code == 0, counted.output
    assert "Illustrative reports are counted" in (tmp_path / "b.html").read_text(encoding="utf-8")
