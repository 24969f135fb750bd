"""Server CPU per request: the benchmark's queries sent one at a time to ``borderwatch serve`` (one worker).

Run from the repository root, on a file ``api_latency.py --db`` built:

    .venv/bin/python bench/server_cpu.py --db /tmp/bench100k.db --requests 200

For each query it reads the server process's CPU time (user + system, ``/proc/<pid>/stat``) before
and after ``--requests`` sequential requests and prints the difference per request: what one
request costs the server, without the queueing that concurrent clients add. CPU time measured while
other processes compete for the cores is inflated, so note the load average (printed first and last).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from api_latency import BASELINE, WARMUP_REQUESTS, queries, running_server, some_document_ids

_TICKS = os.sysconf("SC_CLK_TCK")


def server_pids(port: int) -> list[int]:
    """The processes of ``borderwatch serve --port port``, found by their command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in argv and b"--port" in argv and argv[argv.index(b"--port") + 1] == str(port).encode():
            found.append(int(entry.name))
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time of ``pids`` so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / _TICKS


def main(argv: Sequence[str] | None = None) -> int:
    """Serve ``--db`` with one worker and print the server's CPU per request for each query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a database api_latency.py built")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per query (default 200)")
    parser.add_argument("--seed", type=int, default=20250101, help="picks the documents, as api_latency.py does")
    args = parser.parse_args(argv)
    if not args.db.exists() or args.requests < 1:
        parser.error("--db must exist and --requests must be positive")
    print(f"load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    ids = some_document_ids(args.db, 200, args.seed)
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "borderwatch-server-cpu.log"
    with running_server(args.db.resolve(), log) as base, httpx.Client(base_url=base, timeout=60) as client:
        pids = server_pids(int(base.rsplit(":", 1)[1]))
        print("| request | server CPU ms | wall ms |\n|---|---:|---:|")
        for name, paths in [(f"BASELINE GET {BASELINE}", [BASELINE]), *queries(ids)]:
            for i in range(WARMUP_REQUESTS):
                client.get(paths[-1 - i % len(paths)]).raise_for_status()
            cpu, wall = cpu_seconds(pids), time.perf_counter()
            for i in range(args.requests):
                client.get(paths[i % len(paths)]).raise_for_status()
            cpu, wall = cpu_seconds(pids) - cpu, time.perf_counter() - wall
            print(f"| {name} | {1000 * cpu / args.requests:.1f} | {1000 * wall / args.requests:.1f} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
