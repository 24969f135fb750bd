"""``spark-submit .../borderwatch/batch/__main__.py PATHS... -o OUT`` (or ``python -m borderwatch.batch``)
runs ``borderwatch batch`` as a Spark application, with spark-submit's master and settings."""

import sys

from borderwatch.cli import cli

cli(["batch", *sys.argv[1:]], prog_name="borderwatch")
