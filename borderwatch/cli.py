"""The command line: parse options, call one library function, print, exit.

Exit codes: 0 when every input was stored or quarantined, 1 on a fatal error, 2 on bad
usage. Every borderwatch error becomes one stderr line here; tracebacks only with --debug.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from borderwatch.config import Settings, load_settings
from borderwatch.errors import BorderwatchError, ConfigError, InputError

EXPORT_FORMATS = ("csv", "jsonl", "geojson", "parquet")
_err = Console(stderr=True, highlight=False)


class _Group(click.Group):
    """Turns our exceptions into one line and an exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BorderwatchError as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2 if isinstance(exc, (InputError, ConfigError)) else 1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_file", type=click.Path(path_type=Path), default=None,
              help="Settings file (default: ./borderwatch.toml if present).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(package_name="borderwatch")
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None, debug: bool) -> None:
    """borderwatch: evidence-linked trafficking facts from Mekong-region reports.

    Reads reports (text, HTML), extracts seizure events, aggregate statistics, quotes and
    stated trafficking flows, each value linked to the words it came from, and stores,
    exports and serves them. Settings: defaults < borderwatch.toml < BORDERWATCH_* < options.
    """
    ctx.meta["debug"] = debug
    ctx.obj = config_file


def _check_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A date option as YYYY, YYYY-MM or YYYY-MM-DD, checked to be a real day."""
    if value is None:
        return None
    import datetime

    parts = value.split("-")
    try:
        if not re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", value):
            raise ValueError
        datetime.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
        if int(parts[0]) < 1:
            raise ValueError
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (expected: YYYY-MM-DD, YYYY-MM or YYYY)") from None
    return value


def _check_country(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A country as an ISO 3166 alpha-2 code or a name ("KH", "Cambodia", "Laos") -> the code."""
    if value is None:
        return None
    from borderwatch.geo.countries import country_code, country_name

    code = value.upper() if len(value) == 2 and country_name(value.upper()) != value.upper() else country_code(value)
    if code is None:
        raise click.BadParameter(f"unknown country '{value}' (expected: an ISO 3166 code such as KH, LA, TH, VN, "
                                 "MM, CN, or a country name)")
    return code


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    return load_settings(ctx.obj, **overrides)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="Output format: one JSON object per document (the SCHEMA.md prediction format).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write here instead of standard output.")
@click.pass_context
def extract(ctx: click.Context, paths: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Extract facts from files or folders (reports, feeds, web archives) without touching any database."""
    from borderwatch.pipeline import write_predictions

    settings = _settings(ctx)
    summary = write_predictions(paths, settings, output, _report_rejection)
    _print_summary(summary, output or "standard output", settings)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="An RSS or Atom feed to fetch and ingest "
              "(repeatable); fetched conditionally, so an unchanged feed costs one 304.")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], feeds: tuple[str, ...], db: str | None) -> None:
    """Store documents and their facts; ingesting the same input twice adds nothing.

    PATHS are files, folders or http(s) URLs of pages (fetched safely: public addresses only unless
    the fetch_allow setting names them, robots.txt honoured, at most 5 redirects, size-capped).
    """
    from borderwatch.pipeline import ingest as run_ingest
    from borderwatch.store.repo import Store

    if not paths and not feeds:
        raise click.UsageError("give at least one path, URL or --feed URL")
    settings = _settings(ctx, db=db)
    urls = [p for p in paths if p.lower().startswith(("http://", "https://"))]
    files = [Path(p) for p in paths if p not in urls]
    store = Store.open(settings.db_url)
    failed = False
    try:
        summary = None
        if files:
            summary = run_ingest(files, store, settings, " ".join(["ingest", *map(str, files)]),
                                 on_rejection=_report_rejection)
        if urls or feeds:
            from borderwatch.errors import FetchRefused
            from borderwatch.live import Fetcher, Policy, ingest_url

            with Fetcher(Policy.of(settings)) as fetcher:
                for url, is_feed in [(u, False) for u in urls] + [(f, True) for f in feeds]:
                    try:
                        result = ingest_url(url, store, settings, fetcher, feed=is_feed,
                                            on_rejection=_report_rejection)
                    except FetchRefused as exc:
                        click.echo(f"not fetched: {exc}", err=True)
                        failed = True
                        continue
                    if result.summary is None:
                        click.echo(f"{url}: not modified since the last fetch", err=True)
                    else:
                        summary = _merge(summary, result.summary)
        counts = store.counts()
    finally:
        store.close()
    if summary is not None:
        _print_summary(summary, settings.db, settings, counts)
    if failed:
        ctx.exit(1)


def _merge(total: Any, summary: Any) -> Any:
    """Add one run's counts to another's (several URLs in one command)."""
    if total is None:
        return summary
    for name, value in vars(summary).items():
        mine = getattr(total, name)
        if isinstance(value, int):
            setattr(total, name, mine + value)
        elif isinstance(value, list):
            mine.extend(value)
        elif isinstance(value, dict):
            mine.update(value)
    return total


@cli.command()
@click.argument("feeds_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.option("--once", is_flag=True, help="Poll the feeds that are due once and exit.")
@click.pass_context
def watch(ctx: click.Context, feeds_file: Path, db: str | None, once: bool) -> None:
    """Poll the feeds of FEEDS_FILE (TOML: [[feed]] url, every_minutes) and ingest what is new.

    When each feed was last checked, and its ETag/Last-Modified, are kept in the database, so a
    restarted watcher waits out each feed's period and re-polls cheaply.
    """
    from borderwatch.live import Fetcher, Policy, load_feeds
    from borderwatch.live import watch as run_watch
    from borderwatch.store.repo import Store

    settings = _settings(ctx, db=db)
    feeds = load_feeds(feeds_file)
    store = Store.open(settings.db_url)
    try:
        with Fetcher(Policy.of(settings)) as fetcher:
            stored = run_watch(feeds, store, settings, fetcher, once=once,
                               report=lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        stored = 0
    finally:
        store.close()
    click.echo(f"stored {stored} new documents", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Folder for the predictions and rejections, as JSONL and Parquet.")
@click.option("--db", default=None, help="Also store everything, as `ingest` does (SQLite path or database URL).")
@click.option("--master", default=None,
              help="Spark master URL, e.g. local[2] or spark://host:7077 (default: spark-submit's, else local[*]).")
@click.option("--partitions", type=click.IntRange(min=1), default=None,
              help="Partitions to spread the files over (default: two per core, or about 50 files each).")
@click.option("--split-mb", type=click.IntRange(min=0), default=16, show_default=True,
              help="Cut WARC and feed files larger than this into slices of about this size, one task each "
                   "(0: never).")
@click.pass_context
def batch(ctx: click.Context, paths: tuple[Path, ...], output_dir: Path, db: str | None, master: str | None,
          partitions: int | None, split_mb: int) -> None:
    """Extract large archives as an Apache Spark batch job (needs borderwatch[spark] and Java 17+)."""
    from borderwatch.batch import run_batch
    from borderwatch.store.repo import Store

    settings = _settings(ctx, db=db)
    store = Store.open(settings.db_url) if db else None
    try:
        result = run_batch(paths, settings, output_dir, master=master, partitions=partitions, store=store,
                           on_rejection=_report_rejection, split_bytes=split_mb * 1024 * 1024)
        counts = store.counts() if store else None
    finally:
        if store:
            store.close()
    where = f"{output_dir}/ (predictions, rejections: .jsonl, .parquet)" + (f"; {settings.db}" if db else "")
    _print_summary(result.run, where, settings, counts)
    click.echo(f"spark: {result.master}, {result.partitions} partitions, {result.seconds:.1f} s", err=True)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Output file.")
@click.option("--table", type=click.Choice(["events", "items", "incidents"]), default="events", show_default=True,
              help="events: one row per seizure; items: one row per substance seized; incidents: the values "
                   "most reports of each seizure give.")
@click.option("--all-reports", is_flag=True, help="One row per report of a seizure (column 'representative' "
              "marks the one the events table counts).")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.option("--country", default=None, callback=_check_country,
              help="Country: ISO code or name, e.g. KH or Cambodia.")
@click.option("--admin1", default=None, help="Province, e.g. 'Stung Treng'.")
@click.option("--substance", default=None, help="Canonical substance, e.g. methamphetamine.")
@click.option("--commodity", type=click.Choice(["drugs", "timber", "wildlife", "other"]), default=None,
              help="Only seizures of this commodity.")
@click.option("--outlet", default=None, help="Only reports of this outlet (part of its name).")
@click.option("--language", default=None, help="Only reports in this language (ISO 639-1, e.g. th).")
@click.option("-q", "--text", "q", default=None, help="Only events whose report contains all these words (full-text search).")
@click.option("--from", "date_from", default=None, callback=_check_date,
              help="Earliest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--to", "date_to", default=None, callback=_check_date,
              help="Latest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path, table: str, all_reports: bool, db: str | None,
           country: str | None, admin1: str | None, substance: str | None, commodity: str | None,
           outlet: str | None, language: str | None, q: str | None, date_from: str | None,
           date_to: str | None) -> None:
    """Write an analysis-ready table (events, items or incidents) as CSV, JSONL, GeoJSON or Parquet."""
    from borderwatch.export import export_events
    from borderwatch.store.repo import EventFilter, Store

    settings = _settings(ctx, db=db)
    store = Store.open(settings.db_url, must_exist=True)
    try:
        flt = EventFilter(country=country, admin1=admin1, substance=substance, commodity=commodity,
                          date_from=date_from, date_to=date_to, outlet=outlet, language=language, q=q)
        n = export_events(store, fmt, output, flt, table=table, all_reports=all_reports)
    finally:
        store.close()
    click.echo(f"exported {n} {table} rows to {output}", err=True)


@cli.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default 1; one per core for heavy use).")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None, db: str | None) -> None:
    """Serve the dashboard, the JSON API, its OpenAPI docs and the evidence pages."""
    from borderwatch.pipeline import render_records
    from borderwatch.serve import serve as run_server
    from borderwatch.store.repo import Store

    settings = _settings(ctx, host=host, port=port, workers=workers, db=db)
    with Store.open(settings.db_url, must_exist=True) as store:
        rendered = render_records(store)
    if rendered:
        click.echo(f"rendered {rendered} event records stored before this version", err=True)
    run_server(settings)


@cli.command("eval")
@click.argument("gold_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--errors", is_flag=True, help="List every missed, spurious and wrong fact with its evidence, "
              "grouped by category (date, admin1, quantities, missed seizure, speaker ...).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("-o", "--predictions", type=click.Path(path_type=Path), default=None,
              help="Also write the predictions (JSONL) here.")
@click.pass_context
def eval_command(ctx: click.Context, gold_dir: Path, errors: bool, as_json: bool, predictions: Path | None) -> None:
    """Extract a gold folder (STEM.txt|html + STEM.json) and score it as SCHEMA.md defines."""
    from borderwatch.evaluate import format_report, group_errors
    from borderwatch.pipeline import evaluate

    report, records = evaluate(gold_dir, _settings(ctx))
    if predictions:
        predictions.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    click.echo(json.dumps(report.scores, indent=2) if as_json else format_report(report.scores))
    if errors:
        for category, lines in group_errors(report.errors).items():
            click.echo(f"\n== {category} ({len(lines)})")
            for line in lines:
                click.echo(line)


@cli.group()
def analyze() -> None:
    """Questions over the stored facts: border asymmetry, official coverage, routes."""


@analyze.command("asymmetry")
@click.argument("a", callback=_check_country)
@click.argument("b", callback=_check_country)
@click.option("--by", "granularity", type=click.Choice(["month", "quarter", "year", "all"]), default="year",
              show_default=True, help="Period to group incidents by.")
@click.option("--zone", type=click.Choice(["border", "country"]), default="border", show_default=True,
              help="Compare the border provinces (gazetteer) or the two whole countries.")
@click.option("--from", "date_from", default=None, callback=_check_date,
              help="Earliest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--to", "date_to", default=None, callback=_check_date,
              help="Latest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--commodity", type=click.Choice(["drugs", "timber", "wildlife", "other"]), default=None,
              help="Only seizures of this commodity.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def analyze_asymmetry(ctx: click.Context, a: str, b: str, granularity: str, zone: str, date_from: str | None,
                      date_to: str | None, commodity: str | None, as_json: bool, db: str | None) -> None:
    """Seizure incidents on each side of the A-B border, with rate ratios and exact 95% intervals."""
    from dataclasses import asdict

    from borderwatch.analyze import store_asymmetry
    from borderwatch.brief import country_code_of
    from borderwatch.store.repo import EventFilter, Store

    a, b = country_code_of(a), country_code_of(b)
    settings = _settings(ctx, db=db)
    with Store.open(settings.db_url, must_exist=True) as store:
        result = store_asymmetry(store, a, b, granularity, zone == "country",  # type: ignore[arg-type]
                                 EventFilter(date_from=date_from, date_to=date_to, commodity=commodity))
    if as_json:
        data = asdict(result)
        data["zone"] = {k: sorted(v) for k, v in result.zone.items()}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{a}-{b} seizure incidents ({zone} zone), ratio {a}/{b} with 95% exact interval")
    for column in ("period", f"{a} incidents", f"{b} incidents", f"{a} kg", f"{b} kg", "ratio", "95% interval",
                   "per report", "per-report interval"):
        table.add_column(column, justify="right")
    for row in [*result.rows, *([result.total] if result.total else [])]:
        table.add_row(row.period, str(row.a.incidents), str(row.b.incidents), f"{row.a.mass_kg:.1f}",
                      f"{row.b.mass_kg:.1f}", _fmt_ratio(row.incidents_ratio.ratio),
                      _fmt_interval(row.incidents_ratio.low, row.incidents_ratio.high),
                      _fmt_ratio(row.per_report_ratio.ratio),
                      _fmt_interval(row.per_report_ratio.low, row.per_report_ratio.high))
    Console(highlight=False, width=None if sys.stdout.isatty() else 150).print(table)
    if result.excluded:
        click.echo(f"left out: {result.excluded}")


@analyze.command("coverage")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def analyze_coverage(ctx: click.Context, db: str | None) -> None:
    """Official totals beside the media-reported seizures of the same country and period."""
    from dataclasses import asdict

    from borderwatch.analyze import coverage, load_observations
    from borderwatch.store.repo import Store

    with Store.open(_settings(ctx, db=db).db_url, must_exist=True) as store:
        rows = coverage(store.aggregates(), load_observations(store))
    for row in rows:
        click.echo(json.dumps(asdict(row), ensure_ascii=False))


@analyze.command("routes")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def analyze_routes(ctx: click.Context, db: str | None) -> None:
    """Directed country-to-country routes from stated flows and seizures, weighted by evidence."""
    from borderwatch.analyze import route_graph
    from borderwatch.store.repo import Store

    with Store.open(_settings(ctx, db=db).db_url, must_exist=True) as store:
        graph = route_graph(store.flows(), [row.event for row in store.events(limit=100_000)])
    for origin, destination, data in sorted(graph.edges(data=True), key=lambda e: -e[2]["weight"]):
        who = sorted({e["asserted_by"] or "unnamed" for e in data["evidence"]})
        click.echo(f"{origin} -> {destination}  evidence {data['weight']}  "
                   f"({', '.join(sorted(data['commodities']))})  asserted by: {'; '.join(who)}")


@cli.command()
@click.argument("a", callback=_check_country)
@click.argument("b", callback=_check_country)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="brief.html, or brief.pdf (printed by headless Chromium).")
@click.option("--from", "date_from", default=None, callback=_check_date,
              help="Earliest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--to", "date_to", default=None, callback=_check_date,
              help="Latest event date (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--by", "granularity", type=click.Choice(["month", "quarter", "year"]), default="year",
              show_default=True, help="Period of the table and chart.")
@click.option("--commodity", type=click.Choice(["drugs", "timber", "wildlife", "other"]), default=None,
              help="Only seizures of this commodity.")
@click.option("--include-illustrative", is_flag=True, default=False,
              help="Count illustrative (sample, composite) reports too; by default they are left out and listed.")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def brief(ctx: click.Context, a: str, b: str, output: Path, date_from: str | None, date_to: str | None,
          granularity: str, commodity: str | None, include_illustrative: bool, db: str | None) -> None:
    """A bilateral brief: asymmetry with intervals, charts, official coverage, claims, limits."""
    from borderwatch.brief import build_brief, write_brief
    from borderwatch.store.repo import Store

    with Store.open(_settings(ctx, db=db).db_url, must_exist=True) as store:
        contents = build_brief(store, a, b, date_from, date_to, granularity, commodity,  # type: ignore[arg-type]
                               include_illustrative)
    click.echo(f"brief written to {write_brief(contents, output)}", err=True)


def _fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _fmt_interval(low: float | None, high: float | None) -> str:
    return "n/a" if low is None else f"{low:.2f}-{'inf' if high is None else f'{high:.2f}'}"


@cli.command()
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, help="How many runs, newest first.")
@click.pass_context
def runs(ctx: click.Context, db: str | None, limit: int) -> None:
    """List the latest runs: finished, still running, or interrupted (their process died)."""
    from borderwatch.store.repo import Store

    settings = _settings(ctx, db=db)
    with Store.open(settings.db_url) as store:
        listed = store.runs(limit)
    table = Table(title="borderwatch runs")
    for column in ("run", "status", "started", "finished", "command", "read", "stored", "rejected"):
        table.add_column(column)
    for run in listed:
        summary = run["summary"] or {}
        table.add_row(str(run["id"]), run["status"], run["started"], run["finished"] or "-", run["command"],
                      str(summary.get("read", "-")), str(summary.get("stored", "-")),
                      str(sum(summary.get("rejected", {}).values())) if summary else "-")
    Console(highlight=False, width=None if sys.stdout.isatty() else 200).print(table)


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@click.option("--db", "url", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def db_upgrade(ctx: click.Context, url: str | None) -> None:
    """Create or migrate the database schema to the newest revision."""
    from borderwatch.pipeline import render_records
    from borderwatch.store.repo import Store

    settings = _settings(ctx, db=url)
    with Store.open(settings.db_url) as store:
        rendered = render_records(store)
    click.echo(f"database at {settings.db} is up to date ({rendered} event records rendered)", err=True)


def _report_rejection(rejection: Any, where: str | None) -> None:
    """One line per rejected input, naming it, as it happens."""
    kept = f" (quarantined to {where})" if where else ""
    click.echo(f"rejected: {rejection.source}: {rejection.message}{kept}", err=True)


def _print_summary(summary: Any, output: Any, settings: Settings, counts: dict[str, int] | None = None) -> None:
    table = Table(title="borderwatch run summary", show_header=False)
    table.add_row("documents read", str(summary.read))
    table.add_row("stored / written", str(summary.stored))
    if summary.already_stored:
        table.add_row("already stored (skipped)", str(summary.already_stored))
    if getattr(summary, "duplicates", 0):
        table.add_row("duplicates in this run (skipped)", str(summary.duplicates))
    rejected = sum(summary.rejected.values())
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.rejected.items()))
    table.add_row("quarantined", f"{rejected}" + (f" ({reasons}) in {settings.quarantine_dir}/" if rejected else ""))
    if getattr(summary, "gated_out", 0):
        table.add_row("gated out (no goods or seizure named)", str(summary.gated_out))
    if getattr(summary, "passed_over", None):
        table.add_row("passed over (not inputs)", ", ".join(
            f"{k} {v}" for k, v in sorted(summary.passed_over.items())))
    table.add_row("seizure events", str(summary.events))
    table.add_row("aggregate statistics", str(summary.aggregates))
    table.add_row("quotes", str(summary.quotes))
    table.add_row("flows", str(summary.flows))
    table.add_row("reader comments (kept apart)", str(summary.comments))
    if getattr(summary, "languages", None):
        table.add_row("languages", ", ".join(f"{k} {v}" for k, v in sorted(summary.languages.items())))
    if getattr(summary, "without_pack", None):
        table.add_row("no language pack (read with English rules)",
                      ", ".join(f"{k} {v}" for k, v in sorted(summary.without_pack.items())))
    if summary.reposts:
        table.add_row("reposts / syndicated copies", f"{summary.reposts} (linked to their original)")
    if summary.candidates_rejected:
        table.add_row("candidates set aside", ", ".join(
            f"{k} {v}" for k, v in sorted(summary.candidates_rejected.items())))
    if counts is not None:
        table.add_row("database totals", ", ".join(f"{k} {v}" for k, v in counts.items()))
    table.add_row("output", str(output))
    _err.print(table)


from borderwatch.cli_users import user

cli.add_command(user)


# Examples under every command's --help, as a user would type them.
_EXAMPLES: dict[tuple[str, ...], list[str]] = {
    (): ["borderwatch ingest examples/corpus --db out/demo.db",
         "borderwatch analyze asymmetry KH LA --by year --commodity drugs --db out/demo.db"],
    ("extract",): ["borderwatch extract reports/ -o facts.jsonl", "borderwatch extract crawl.warc.gz feed.xml"],
    ("ingest",): ["borderwatch ingest reports/ --db out/demo.db",
                  "borderwatch ingest archive.warc.gz --db postgresql+psycopg://bw@localhost/bw",
                  "borderwatch ingest https://example.org/news/seizure.html --feed https://example.org/rss"],
    ("watch",): ["borderwatch watch feeds.toml --db out/demo.db",
                 "borderwatch watch feeds.toml --once --db out/demo.db"],
    ("batch",): ["borderwatch batch reports/ -o out/batch --master 'local[2]'"],
    ("export",): ["borderwatch export --format csv -o out/events.csv --db out/demo.db",
                  "borderwatch export --format parquet -o kh.parquet --country Cambodia --from 2024 --db out/demo.db"],
    ("serve",): ["borderwatch serve --db out/demo.db", "borderwatch serve --db out/demo.db --workers 2 --port 8080"],
    ("eval",): ["borderwatch eval ../shared/eval/dev --errors"],
    ("analyze",): ["borderwatch analyze asymmetry KH LA --db out/demo.db"],
    ("analyze", "asymmetry"): ["borderwatch analyze asymmetry KH LA --by year --commodity drugs --db out/demo.db",
                               "borderwatch analyze asymmetry Vietnam Laos --zone country --json --db out/demo.db"],
    ("analyze", "coverage"): ["borderwatch analyze coverage --db out/demo.db"],
    ("analyze", "routes"): ["borderwatch analyze routes --db out/demo.db"],
    ("brief",): ["borderwatch brief KH LA --commodity drugs -o out/brief-KH-LA.html --db out/demo.db",
                 "borderwatch brief TH LA --from 2024-01 -o brief.pdf --db out/demo.db",
                 "borderwatch brief KH LA --include-illustrative -o brief-with-samples.html --db out/demo.db"],
    ("db",): ["borderwatch db upgrade --db out/demo.db"],
    ("runs",): ["borderwatch runs --db out/demo.db"],
    ("db", "upgrade"): ["borderwatch db upgrade --db postgresql+psycopg://bw@localhost/bw"],
    ("user",): ["borderwatch user add alice --role editor --db out/demo.db"],
    ("user", "add"): ["BORDERWATCH_PASSWORD=... borderwatch user add alice --role editor --db out/demo.db"],
}


def _add_examples(command: click.Command, path: tuple[str, ...] = ()) -> None:
    examples = _EXAMPLES.get(path)
    if examples:
        command.epilog = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in examples)
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            _add_examples(sub, (*path, name))


_add_examples(cli)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="borderwatch")

