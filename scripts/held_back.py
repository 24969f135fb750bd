"""Gather the held-back halves of the blind sets into folders a scorer can read, one per language.

Each blind set's README.md lists its documents under "## Open half" and "## Held-back half"
(a table whose first column is the stem). The held-back half is scored only before and after a
round of fixes (docs/accuracy.md); this script makes that scoring one repeatable command:

    python3 scripts/held_back.py tests/fixtures/blind2-* --out /tmp/held
    .venv/bin/borderwatch eval /tmp/held/all

It writes symbolic links, never copies: OUT/all and OUT/<language> (the gold's `language`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

_ROW = re.compile(r"^\|\s*`?(?P<stem>[A-Za-z0-9][\w.-]*)`?\s*\|")


def held_back_stems(readme: Path) -> list[str]:
    """The stems listed in the README's held-back table."""
    stems, inside = [], False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = line.lower().startswith("## held-back half")
            continue
        m = _ROW.match(line) if inside else None
        if m and m.group("stem") not in ("stem",) and not set(m.group("stem")) <= {"-"}:
            stems.append(m.group("stem"))
    return stems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path, help="blind-set folders with a README.md")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the links into")
    args = parser.parse_args(argv)
    count = 0
    for folder in args.sets:
        readme = folder / "README.md"
        if not readme.is_file():
            print(f"{folder}: no README.md listing a held-back half", file=sys.stderr)
            return 2
        stems = held_back_stems(readme)
        if not stems:
            print(f"{readme}: no '## Held-back half' table", file=sys.stderr)
            return 2
        for stem in stems:
            gold = folder / f"{stem}.json"
            language = json.loads(gold.read_text(encoding="utf-8")).get("language") or "und"
            for target in (args.out / "all", args.out / language):
                target.mkdir(parents=True, exist_ok=True)
                for f in folder.glob(f"{stem}.*"):
                    link = target / f.name
                    if not link.exists():
                        link.symlink_to(f.resolve())
            count += 1
    print(f"{count} held-back documents linked under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
