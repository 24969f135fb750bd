"""`borderwatch batch` on one archive: local[1] against local[2], the archive cut into slices.

Run from the repository root (needs borderwatch[spark] and Java 17+):

    .venv/bin/python bench/spark_scaling.py                  # 400 pages, slices of about 64 KB
    .venv/bin/python bench/spark_scaling.py --pages 800 --split-kb 128

Builds one crawl with ``warc_throughput.build_warc`` (one file: without slicing it would be one
task, whatever the cores), then for each master runs a child process that starts a Spark session,
and times ``run_batch`` alone (session start-up excluded; each task's Extractor load included, as
it is part of the job). Checks that both write the same predictions. Prints seconds, pages/s and
the speed-up of local[2] over local[1].
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def child(master: str, warc: Path, out: Path, split_bytes: int) -> None:
    from borderwatch.batch import run_batch, start_session
    from borderwatch.config import Settings

    spark = start_session(master)
    try:
        started = time.monotonic()
        result = run_batch([warc], Settings(quarantine_dir=str(out / "q")), out, spark=spark,
                           split_bytes=split_bytes)
        seconds = time.monotonic() - started
    finally:
        spark.stop()
    digest = hashlib.sha256((out / "predictions.jsonl").read_bytes()).hexdigest()
    print(json.dumps({"master": master, "seconds": seconds, "read": result.run.read, "slices": result.slices,
                      "partitions": result.partitions, "predictions": digest}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--split-kb", type=int, default=64)
    parser.add_argument("--child", nargs=3, metavar=("MASTER", "WARC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]), args.split_kb * 1024)
        return
    from warc_throughput import build_warc

    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "crawl.warc.gz"
        kinds = build_warc(warc, args.pages, 0.04, 0.05, seed=11)
        print(f"{args.pages} pages, {warc.stat().st_size / 1e6:.2f} MB, {kinds}", flush=True)
        results = []
        for master in ("local[1]", "local[2]"):
            done = subprocess.run([sys.executable, __file__, "--split-kb", str(args.split_kb), "--child", master,
                                   str(warc), str(Path(tmp) / master)], capture_output=True, text=True,
                                  check=True)
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            r = results[-1]
            print(f"{master}: {r['seconds']:.1f} s, {r['read'] / r['seconds']:.1f} pages/s, "
                  f"{r['slices']} slices in {r['partitions']} partitions", flush=True)
        same = results[0]["predictions"] == results[1]["predictions"]
        print(f"speed-up local[2] / local[1]: {results[0]['seconds'] / results[1]['seconds']:.2f}; "
              f"identical predictions: {same}")


if __name__ == "__main__":
    main()
