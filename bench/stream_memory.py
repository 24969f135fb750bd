"""Peak memory of `borderwatch ingest` on a generated WARC and on one N times larger.

Run from the repository root:

    .venv/bin/python bench/stream_memory.py                       # 150 and 600 pages
    .venv/bin/python bench/stream_memory.py --pages 300 --factor 4

Builds two crawls with ``warc_throughput.build_warc`` (same seed and shares; the second has
``--factor`` times the pages), then runs ``borderwatch ingest CRAWL --db NEW.db`` on each in a child
process and reads that child's peak resident set size from ``os.wait4`` (``ru_maxrss``, the rusage
of that one child, as ``resource.getrusage(RUSAGE_CHILDREN)`` would report for it alone). Ingest
stores documents a batch at a time (``store_batch_documents``, ``store_batch_seconds``), so the
peak should be about the same for both: models, one batch, and per-document signatures for family
linking (about 1 KB each) and the events seen, not the archive. Prints both peaks and their ratio.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from warc_throughput import build_warc


def peak_rss_mb(warc: Path, db: Path, quarantine: Path) -> tuple[float, float]:
    """Peak RSS (MiB) and wall seconds of one `borderwatch ingest` child."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "BORDERWATCH_QUARANTINE_DIR": str(quarantine)}
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", "from borderwatch.cli import main; main()", "ingest",
                              str(warc), "--db", str(db)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"borderwatch ingest {warc} failed ({child.returncode})")
    return usage.ru_maxrss / 1024, time.monotonic() - started  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--factor", type=int, default=4)
    parser.add_argument("--seizure-share", type=float, default=0.25)
    parser.add_argument("--duplicate-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for pages in (args.pages, args.pages * args.factor):
            warc = Path(tmp) / f"crawl-{pages}.warc.gz"
            kinds = build_warc(warc, pages, args.seizure_share, args.duplicate_share, args.seed)
            peak, seconds = peak_rss_mb(warc, Path(tmp) / f"{pages}.db", Path(tmp) / "q")
            rows.append((pages, warc.stat().st_size / 1e6, kinds, peak, seconds))
            print(f"{pages} pages ({rows[-1][1]:.1f} MB, {kinds}): peak RSS {peak:.0f} MiB, {seconds:.0f} s",
                  flush=True)
        print(f"peak ratio ({args.factor}x the pages): {rows[1][3] / rows[0][3]:.2f}")


if __name__ == "__main__":
    main()
