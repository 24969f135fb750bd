"""``python -m borderwatch``: the same command line as the ``borderwatch`` script."""

from borderwatch.cli import main

main()
