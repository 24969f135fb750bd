"""Peak memory of `borderwatch extract` (or `ingest`) on a generated WARC and on one N times larger.

Run from the repository root:

    .venv/bin/python bench/stream_memory.py                       # 150 and 600 pages
    .venv/bin/python bench/stream_memory.py --pages 300 --factor 4 --command ingest
    .venv/bin/python bench/stream_memory.py --size-mb 1024 --factor 4 --dir /tmp/crawls --seizure-share 0.04

Builds two crawls with ``warc_throughput.build_warc`` (same seed and shares; the second has
``--factor`` times the pages, or with ``--size-mb`` the first holds that many MiB on disk, gzip
per record as CC-NEWS, and the second ``--factor`` times as many), then runs the real command line,
``borderwatch extract CRAWL -o OUT.jsonl`` (``--command ingest``: ``borderwatch ingest CRAWL --db
NEW.db``), on each in a child process. The peak is the larger of two readings: ``ru_maxrss`` from
``os.wait4`` (the largest resident set of the child or of any descendant it waited for), and the
largest sum of the resident sets of the child and all its descendants alive at the same time,
sampled every second from ``/proc`` (what a machine's memory must hold at once). The writer streams
records to disk, so building a crawl of gigabytes takes no more memory than a page. ``--dir`` keeps
the crawls, outputs and quarantine there (a crawl already there with the same name is reused);
otherwise a temporary folder. Every ``--sample-seconds`` it prints the tree's resident set size and
how far the child has read into the crawl (its file position, from ``/proc/<pid>/fdinfo``), so a
peak that grows with the archive shows as it grows.

Both commands link and write a batch at a time (``store_batch_documents``,
``store_batch_seconds``), so the peak should be about the same for both crawls: models, one batch,
and what the run keeps per document (content hashes to skip repeats, a MinHash signature per
document that passed the gate, the seizure events seen), not the archive. Prints both peaks, their
ratio and the load average.
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


def _tree(pid: int) -> list[int]:
    """``pid`` and every process descended from it that is alive now."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def _rss_mb(pid: int) -> float:
    """Resident set size of one process (MiB), 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):  # gone, or a zombie (no VmRSS line)
        return 0.0


def _position(pid: int, warc: Path) -> float:
    """The share of ``warc`` that ``pid`` has read (its file offset), 0 if it has not opened it."""
    position = 0
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == str(warc):
                    position = int((Path(f"/proc/{pid}/fdinfo") / fd.name).read_text().split()[1])
            except OSError:
                continue
    except OSError:
        return 0.0
    return position / warc.stat().st_size


def peak_rss_mb(command: list[str], warc: Path, quarantine: Path, every: float) -> tuple[float, float, float]:
    """Peak RSS (MiB) of one borderwatch child and its descendants: (``ru_maxrss``, the largest
    sampled sum over the process tree, wall seconds)."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "BORDERWATCH_QUARANTINE_DIR": str(quarantine)}
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", "from borderwatch.cli import main; main()", *command],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    due, tree_peak = started + every, 0.0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        processes = _tree(child.pid)
        rss = sum(_rss_mb(p) for p in processes)
        tree_peak = max(tree_peak, rss)
        if every and time.monotonic() >= due:
            due += every
            print(f"  {time.monotonic() - started:7.0f} s: RSS {rss:6.0f} MiB ({len(processes)} processes), "
                  f"read {_position(child.pid, warc):6.1%}", flush=True)
        time.sleep(1.0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"borderwatch {' '.join(command)} failed ({child.returncode})")
    return usage.ru_maxrss / 1024, tree_peak, time.monotonic() - started  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", choices=("extract", "ingest"), default="extract")
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--size-mb", type=float, default=0,
                        help="build the first crawl to this size on disk (MiB) instead of --pages")
    parser.add_argument("--factor", type=int, default=4)
    parser.add_argument("--seizure-share", type=float, default=0.25)
    parser.add_argument("--duplicate-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, help="keep crawls, outputs and quarantine here (default: a temporary folder)")
    parser.add_argument("--sample-seconds", type=float, default=30, help="0: print no samples")
    parser.add_argument("--larger-only", action="store_true",
                        help="measure only the larger crawl, to set beside the first row of an earlier run "
                             "on the same code (a 4 GiB run after a 256 MiB -> 1 GiB one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for scale in (args.factor,) if args.larger_only else (1, args.factor):
            name = f"{args.size_mb * scale:g}mb" if args.size_mb else f"{args.pages * scale}p"
            warc = folder / f"crawl-{name}-s{args.seed}-z{args.seizure_share:g}-d{args.duplicate_share:g}.warc.gz"
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
            out = folder / f"{name}.{'jsonl' if args.command == 'extract' else 'db'}"
            out.unlink(missing_ok=True)
            command = [args.command, str(warc.resolve()), "-o" if args.command == "extract" else "--db", str(out)]
            load = os.getloadavg()[0]
            maxrss, tree, seconds = peak_rss_mb(command, warc.resolve(), folder / f"quarantine-{name}",
                                                args.sample_seconds)
            peak = max(maxrss, tree)
            pages = sum(kinds.values())
            rows.append(peak)
            print(f"{pages} pages ({warc.stat().st_size / 2**20:.0f} MiB, {kinds}): borderwatch {args.command} "
                  f"peak RSS {peak:.0f} MiB (ru_maxrss {maxrss:.0f}, process tree sampled {tree:.0f}), "
                  f"{seconds:.0f} s ({pages / seconds:.1f} pages/s), load average {load:.1f} at start, "
                  f"{os.getloadavg()[0]:.1f} at end", flush=True)
        if len(rows) == 2:
            print(f"peak ratio ({args.factor}x): {rows[1] / rows[0]:.2f}")


if __name__ == "__main__":
    main()
