"""Extraction cost per kilobyte as a document grows: flat is linear, rising is super-linear.

Run from the repository root:

    .venv/bin/python bench/extract_scaling.py                      # 5 KB, 20 KB, 100 KB, 1 MB
    .venv/bin/python bench/extract_scaling.py --sizes 5 20 --profile /tmp/extract.prof

Each document is English news text built from varied seizure and ordinary sentences (a fixed seed,
so two runs extract the same text), cut at a paragraph boundary near the size asked for, and run
once (after one warm-up document, so loading is not counted) as the pipeline runs it: split at
paragraph boundaries into parts of at most ``max_document_chars`` (``split_document``), each part
through ``extract_document`` (the relevance gate, the CPU budget, extraction, the contract
check). ``--whole`` lifts the character budget instead, so that one ``Extractor.extract`` reads
the whole document. Prints CPU seconds per KB for each size and the ratio of the largest to the
smallest.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import random
import time
from dataclasses import replace

from borderwatch.config import Settings
from borderwatch.extract import Extractor
from borderwatch.extract.budget import split_document
from borderwatch.model import Document
from borderwatch.pipeline import extract_document

_PLACES = ["Stung Treng", "Bokeo", "Chiang Rai", "Nghe An", "Tay Ninh", "Shan State", "Savannakhet",
           "Quang Tri", "Mukdahan", "Nong Khai", "Ratanakiri", "Champasak", "Lao Cai", "Tachileik"]
_DRUGS = ["methamphetamine tablets", "crystal methamphetamine", "heroin", "ketamine", "cannabis",
          "yaba pills", "pangolin scales", "rosewood logs", "ivory"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_SENTENCES = [
    "Police in {place} province seized {n} kg of {drug} on {day} {month} {year}.",
    "Officers arrested {k} suspects near the {place} border checkpoint with {n} packages of {drug}.",
    "\"We will not let traffickers use {place} as a transit route,\" said Colonel Sok {name}.",
    "The {drug} was hidden in a truck carrying fruit from {place} to {place2}, customs said.",
    "Authorities in {place2} reported {n} cases of smuggling in the first half of {year}.",
    "The provincial council met on {day} {month} to discuss road repairs and school budgets.",
    "Farmers in {place} expect a good rice harvest after steady rains this season.",
    "A football match between {place} and {place2} drew a crowd of {n} hundred people.",
    "The court in {place} sentenced {k} men to {n} years in prison for trafficking {drug}.",
    "Tourism officials said visitor numbers rose by {n} percent compared with {year}.",
]
_NAMES = ["Dara", "Vanna", "Sophal", "Bounmy", "Thanh", "Somchai", "Kyaw", "Lin"]


def build_text(size_kb: int, seed: int = 14) -> str:
    """English news paragraphs of about ``size_kb`` kilobytes, cut at a paragraph boundary."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < size_kb * 1000:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            place, place2 = rng.sample(_PLACES, 2)
            sentences.append(rng.choice(_SENTENCES).format(
                place=place, place2=place2, drug=rng.choice(_DRUGS), n=rng.randint(2, 900),
                k=rng.randint(2, 9), day=rng.randint(1, 28), month=rng.choice(_MONTHS),
                year=rng.randint(2019, 2024), name=rng.choice(_NAMES)))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def _document(text: str) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(id=digest[:16], text=text, content_hash=digest, source=f"bench:{len(text)}",
                    published="2024-06-01", published_precision="day")


def measure(extractor: Extractor, settings: Settings, size_kb: int) -> tuple[int, float]:
    """Characters and CPU seconds of one extraction of a ``size_kb`` document."""
    text = build_text(size_kb)
    started = time.process_time()
    for part in split_document(_document(text), settings.max_document_chars):
        extract_document(extractor, part, settings.max_document_cpu_seconds)
    return len(text), time.process_time() - started


def main() -> None:
    """Parse the options, measure each size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 20, 100, 1000], help="sizes in KB")
    parser.add_argument("--profile", help="write a cProfile of the largest size to this file")
    parser.add_argument("--whole", action="store_true", help="no character budget: extract each document whole")
    args = parser.parse_args()
    largest = max(args.sizes)
    settings = replace(Settings(), max_document_cpu_seconds=0)
    if args.whole:
        settings = replace(settings, max_document_chars=largest * 1000 + 10_000)
    print(f"max_document_chars {settings.max_document_chars:,}")
    extractor = Extractor(settings)
    extractor.extract(_document(build_text(2)))
    per_kb: dict[int, float] = {}
    print("| size | characters | CPU s | ms per KB |\n|---:|---:|---:|---:|")
    for size in args.sizes:
        if args.profile and size == largest:
            profiler = cProfile.Profile()
            profiler.enable()
        chars, seconds = measure(extractor, settings, size)
        if args.profile and size == largest:
            profiler.disable()
            profiler.dump_stats(args.profile)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        per_kb[size] = seconds * 1000 / (chars / 1000)
        print(f"| {size} KB | {chars:,} | {seconds:.2f} | {per_kb[size]:.1f} |", flush=True)
    smallest = min(args.sizes)
    print(f"ratio {largest} KB / {smallest} KB per-KB cost: {per_kb[largest] / per_kb[smallest]:.2f}")


if __name__ == "__main__":
    main()
