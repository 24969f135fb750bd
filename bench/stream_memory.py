"""Peak memory of `borderwatch ingest` on a generated WARC and on one N times larger.

Run from the repository root:

    .venv/bin/python bench/stream_memory.py                       # 150 and 600 pages
    .venv/bin/python bench/stream_memory.py --pages 300 --factor 4
    .venv/bin/python bench/stream_memory.py --size-mb 1024 --factor 4 --dir /work/crawls --seizure-share 0.04

Builds two crawls with ``warc_throughput.build_warc`` (same seed and shares; the second has
``--factor`` times the pages, or with ``--size-mb`` the first holds that many MiB on disk, gzip
per record as CC-NEWS, and the second ``--factor`` times as many), then runs ``borderwatch ingest
CRAWL --db NEW.db`` on each in a child process and reads that child's peak resident set size from
``os.wait4`` (``ru_maxrss``, the rusage of that one child, as
``resource.getrusage(RUSAGE_CHILDREN)`` would report for it alone). The writer streams records to
disk, so building a crawl of gigabytes takes no more memory than a page. ``--dir`` keeps the
crawls, databases and quarantine there (a crawl already there with the same name is reused);
otherwise a temporary folder. Every ``--sample-seconds`` it prints the child's resident set size
and how far it has read into the crawl (its file position, from ``/proc/<pid>/fdinfo``), so a
peak that grows with the archive shows as it grows.

Ingest stores documents a batch at a time (``store_batch_documents``, ``store_batch_seconds``), so the
peak should be about the same for both: models, one batch, and per-document signatures for family
linking (about 1 KB each) and the events seen, not the archive. Prints both peaks and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from warc_throughput import build_warc


def _sample(pid: int, warc: Path) -> tuple[float, float] | None:
    """The child's resident set size (MiB) and the share of ``warc`` it has read, or None once gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        position = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == str(warc):
                    info = (Path(f"/proc/{pid}/fdinfo") / fd.name).read_text()
                    position = int(info.split()[1])
            except OSError:
                continue
    except (OSError, StopIteration):
        return None
    return rss_kb / 1024, position / warc.stat().st_size


def peak_rss_mb(warc: Path, db: Path, quarantine: Path, every: float) -> tuple[float, float]:
    """Peak RSS (MiB) and wall seconds of one `borderwatch ingest` child."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "BORDERWATCH_QUARANTINE_DIR": str(quarantine)}
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", "from borderwatch.cli import main; main()", "ingest",
                              str(warc.resolve()), "--db", str(db)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    due = started + every
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(1.0)
        if every and time.monotonic() >= due:
            due += every
            seen = _sample(child.pid, warc.resolve())
            if seen:
                print(f"  {time.monotonic() - started:7.0f} s: RSS {seen[0]:6.0f} MiB, read {seen[1]:6.1%}",
                      flush=True)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"borderwatch ingest {warc} failed ({child.returncode})")
    return usage.ru_maxrss / 1024, time.monotonic() - started  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--size-mb", type=float, default=0,
                        help="build the first crawl to this size on disk (MiB) instead of --pages")
    parser.add_argument("--factor", type=int, default=4)
    parser.add_argument("--seizure-share", type=float, default=0.25)
    parser.add_argument("--duplicate-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, help="keep crawls and databases here (default: a temporary folder)")
    parser.add_argument("--sample-seconds", type=float, default=30, help="0: print no samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for scale in (1, args.factor):
            name = f"{args.size_mb * scale:g}mb" if args.size_mb else f"{args.pages * scale}p"
            warc = folder / f"crawl-{name}-s{args.seed}-z{args.seizure_share:g}-d{args.duplicate_share:g}.warc.gz"
            db = folder / f"{name}.db"
            db.unlink(missing_ok=True)
            counts = warc.with_suffix(".kinds.json")
            if counts.exists():  # built by an earlier run with the same options
                kinds = json.loads(counts.read_text())
            else:
                started = time.monotonic()
                kinds = build_warc(warc, args.pages * scale, args.seizure_share, args.duplicate_share, args.seed,
                                   size_bytes=int(args.size_mb * scale * 2**20))
                counts.write_text(json.dumps(kinds))
                print(f"built {warc} ({warc.stat().st_size / 2**20:.0f} MiB gzip, {kinds}) in "
                      f"{time.monotonic() - started:.0f} s", flush=True)
            peak, seconds = peak_rss_mb(warc, db, folder / f"quarantine-{name}", args.sample_seconds)
            pages = sum(kinds.values())
            rows.append(peak)
            print(f"{pages} pages ({warc.stat().st_size / 2**20:.0f} MiB, {kinds}): peak RSS {peak:.0f} MiB, "
                  f"{seconds:.0f} s ({pages / seconds:.1f} pages/s)", flush=True)
        print(f"peak ratio ({args.factor}x): {rows[1] / rows[0]:.2f}")


if __name__ == "__main__":
    main()
