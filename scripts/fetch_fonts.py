#!/usr/bin/env python3
"""Re-fetch the web fonts the dashboard ships in borderwatch/serve/static/fonts/, reproducibly.

The fonts are subsetted Noto fonts from the npm registry's Fontsource packages, pinned below by
version and by the tarball's sha512 integrity (the registry's ``dist.integrity``). For each
package this fetches the tarball with ``npm pack`` into a temporary directory, checks its
integrity, copies the chosen woff2 slices and the package's licence (SIL OFL 1.1) into
``static/fonts/<package>/``, and writes

* ``static/fonts/fonts.css``: one ``@font-face`` rule per slice, with Fontsource's own
  ``unicode-range``, so a browser downloads only the slices a page's text needs;
* ``static/fonts/SOURCES.md``: package, version, integrity, what was kept and the byte totals.

Run from anywhere, with npm on PATH and the registry reachable:

    python3 scripts/fetch_fonts.py            # rewrite static/fonts/ from the pinned packages
    python3 scripts/fetch_fonts.py --check    # fetch and compare; exit 1 if static/fonts/ differs

What is kept (about 8 MB): Latin, Latin Extended and Vietnamese from Noto Sans, and the script
slices of Noto Sans Khmer, Lao, Thai and Myanmar, each at weights 400 and 700; all the
unicode-range slices of Noto Sans SC and Noto Sans JP at weight 400 only (the CJK slices are
3.5-3.8 MB per weight; browsers synthesise bold from the regular face).
"""

from __future__ import annotations

import argparse
import base64
import filecmp
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FONTS = REPO / "borderwatch" / "serve" / "static" / "fonts"
NUMBERED = "numbered"
"""Subset selector: every numbered unicode-range slice (how Fontsource splits CJK fonts)."""


@dataclass(frozen=True)
class Package:
    """One pinned Fontsource package and the slices of it we ship."""

    name: str
    version: str
    integrity: str
    subsets: tuple[str, ...]
    weights: tuple[int, ...]

    @property
    def slug(self) -> str:
        """``noto-sans-khmer`` for ``@fontsource/noto-sans-khmer``: the directory and file prefix."""
        return self.name.rsplit("/", 1)[1]


PACKAGES = (
    Package("@fontsource/noto-sans", "5.3.0",
            "sha512-fBCog2PY7DiVVTEEqtI/Qdinx/knobHYfoGpjFXdfBX5RoJaBp1Prw2G75p0OIsdlMZg3cLo0c+YbIUYOxnQJw==",
            ("latin", "latin-ext", "vietnamese"), (400, 700)),
    Package("@fontsource/noto-sans-khmer", "5.3.0",
            "sha512-gdbZkSmmMa7up92bksz5uKkjt70hCmLr9Q9B/Bxu4qYfXr+BvRLvf7NDAO4WP64coTdCcrzmHFciXirbdJEToQ==",
            ("khmer",), (400, 700)),
    Package("@fontsource/noto-sans-lao", "5.3.0",
            "sha512-wadhgoP3CjhzZMlEShAgJgfmQEby/0QVjXAVZeR053XnGufjZPM4+UZW1AjsDwYhgUNbC/hPW8aHdoHIR/fqQg==",
            ("lao",), (400, 700)),
    Package("@fontsource/noto-sans-thai", "5.3.0",
            "sha512-ngqUyvDukkZUHypQbUJvUdAeYa2aYZsyeDTsdqMudf7GK2F2TK19OZ5kbo+37qsBtkNpmAMhEObQnWnzPqzKUw==",
            ("thai",), (400, 700)),
    Package("@fontsource/noto-sans-myanmar", "5.3.0",
            "sha512-/ja/Fbmtv4TRpd8LgnVFvDRFIzR0bvYaVCwGNK6Hnn5uBGccCfGFnZ7wRPG1/IyMnScVIjrnOmN+2jOL0b8tRQ==",
            ("myanmar",), (400, 700)),
    Package("@fontsource/noto-sans-sc", "5.3.0",
            "sha512-HeqIlGm0+ohOKxZLuHj1qW6r6avHH0OWdKERAcSDI0RQ+MXrteuLKA+M+5eOA8rYy0MFvOR5AT0fQo2rUkye0Q==",
            (NUMBERED,), (400,)),
    Package("@fontsource/noto-sans-jp", "5.3.0",
            "sha512-OZbBzZ8LrFRs2RFT2Cc0HUV2C2ZeSfyEXhDJWR0EZuZaraJfRubpvrFmUnCljuBDEkw8Vn6CE/+nf9dj9b+0lg==",
            (NUMBERED,), (400,)),
)

# One Fontsource rule: "/* noto-sans-sc-[4]-400-normal */\n@font-face { ... }".
RULE = re.compile(r"/\* (?P<name>[^*]+?) \*/\s*@font-face\s*\{(?P<body>[^}]*)\}")
PROPERTY = re.compile(r"\s*([a-z-]+)\s*:\s*([^;]+);")
WOFF2 = re.compile(r"url\(\./files/(?P<file>[^)]+\.woff2)\)")


@dataclass(frozen=True)
class Face:
    """One @font-face rule we ship: a woff2 slice and the code points it covers."""

    package: Package
    family: str
    weight: int
    subset: str
    file: str
    unicode_range: str | None


def npm_pack(package: Package, into: Path) -> Path:
    """Fetch the package tarball with ``npm pack`` and check it against the pinned integrity."""
    spec = f"{package.name}@{package.version}"
    done = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(into)],
                          capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        sys.exit(f"npm pack {spec} failed: {done.stderr.strip()[-2000:]}")
    tarball = into / str(json.loads(done.stdout)[0]["filename"])
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != package.integrity:
        sys.exit(f"{spec}: integrity {digest} is not the pinned {package.integrity}")
    return tarball


def select_faces(package: Package, root: Path) -> list[Face]:
    """The package's @font-face rules for our subsets and weights, from its ``<weight>.css``."""
    faces = []
    for weight in package.weights:
        css = (root / f"{weight}.css").read_text(encoding="utf-8")
        for rule in RULE.finditer(css):
            name = rule.group("name")
            prefix, suffix = f"{package.slug}-", f"-{weight}-normal"
            if not (name.startswith(prefix) and name.endswith(suffix)):
                sys.exit(f"{package.name} {weight}.css: unexpected rule name {name!r}")
            subset = name[len(prefix):-len(suffix)]
            numbered = re.fullmatch(r"\[\d+\]", subset) is not None
            if not (subset in package.subsets or (numbered and NUMBERED in package.subsets)):
                continue
            props = dict(PROPERTY.findall(rule.group("body")))
            source = WOFF2.search(props["src"])
            if source is None:
                sys.exit(f"{package.name} {name}: no woff2 source in {props['src']!r}")
            faces.append(Face(package, props["font-family"].strip("'\""), weight, subset,
                              source.group("file"), props.get("unicode-range")))
    found = {NUMBERED if face.subset.startswith("[") else face.subset for face in faces}
    missing = set(package.subsets) - found
    if missing:
        sys.exit(f"{package.name}: no rules for subsets {sorted(missing)}")
    return faces


def font_face_css(faces: list[Face]) -> str:
    """fonts.css: a header, then one @font-face per shipped slice (paths relative to fonts.css)."""
    lines = ["/* Generated by scripts/fetch_fonts.py from pinned Fontsource packages (see SOURCES.md);",
             "   do not edit. Fonts: SIL Open Font License 1.1 (LICENSE beside each font). */", ""]
    for face in faces:
        lines += [f"/* {face.package.slug} {face.subset} {face.weight} */",
                  "@font-face {",
                  f'  font-family: "{face.family}";',
                  "  font-style: normal;",
                  f"  font-weight: {face.weight};",
                  "  font-display: swap;",
                  f'  src: url("{face.package.slug}/{face.file}") format("woff2");']
        if face.unicode_range:
            lines.append(f"  unicode-range: {face.unicode_range};")
        lines += ["}", ""]
    return "\n".join(lines)


def sources_md(faces: list[Face], out: Path) -> str:
    """SOURCES.md: where every file came from, and how many bytes each package adds."""
    lines = ["# Web fonts shipped with the dashboard", "",
             "Written by `scripts/fetch_fonts.py` (run it to re-fetch; `--check` to verify). Every font is",
             "licensed under the SIL Open Font License 1.1: the package's licence file is `LICENSE` in",
             "each directory. `fonts.css` holds one `@font-face` per file with Fontsource's",
             "`unicode-range`, so a browser downloads only the slices a page's text uses.", "",
             "| Package (npm) | Version | Family | Subsets | Weights | Files | Bytes |",
             "|---|---|---|---|---|---|---|"]
    total = 0
    for package in PACKAGES:
        mine = [face for face in faces if face.package == package]
        size = sum((out / package.slug / face.file).stat().st_size for face in mine)
        total += size
        subsets = "all numbered unicode-range slices" if NUMBERED in package.subsets else ", ".join(package.subsets)
        lines.append(f"| `{package.name}` | {package.version} | {mine[0].family} | {subsets} | "
                     f"{', '.join(map(str, package.weights))} | {len(mine)} | {size:,} |")
    lines += ["", f"Total woff2: {total:,} bytes.", "", "Tarball integrity (npm `dist.integrity`, checked on fetch):", ""]
    lines += [f"- `{package.name}@{package.version}`: `{package.integrity}`" for package in PACKAGES]
    lines += ["", "Upstream: https://fontsource.org (from Google Fonts, https://github.com/notofonts).", ""]
    return "\n".join(lines)


def build(out: Path, work: Path) -> None:
    """Fetch every pinned package and write the fonts directory ``out`` from scratch."""
    faces: list[Face] = []
    for package in PACKAGES:
        tarball = npm_pack(package, work)
        unpacked = work / package.slug
        with tarfile.open(tarball) as archive:
            archive.extractall(unpacked, filter="data")
        root = unpacked / "package"
        chosen = select_faces(package, root)
        target = out / package.slug
        target.mkdir(parents=True)
        shutil.copyfile(root / "LICENSE", target / "LICENSE")
        for face in chosen:
            shutil.copyfile(root / "files" / face.file, target / face.file)
        faces += chosen
    (out / "fonts.css").write_text(font_face_css(faces), encoding="utf-8")
    (out / "SOURCES.md").write_text(sources_md(faces, out), encoding="utf-8")


def same_tree(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two directory trees (missing on one side or unequal)."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    return sorted(str(n) for n in names
                  if not ((left / n).is_file() and (right / n).is_file()
                          and filecmp.cmp(left / n, right / n, shallow=False)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with static/fonts/ instead of writing it")
    args = parser.parse_args()
    if shutil.which("npm") is None:
        sys.exit("npm is not on PATH (apt-get install npm)")
    with tempfile.TemporaryDirectory(prefix="borderwatch-fonts-") as tmp:
        work, fresh = Path(tmp) / "work", Path(tmp) / "fonts"
        work.mkdir()
        build(fresh, work)
        if args.check:
            differ = same_tree(fresh, FONTS)
            for name in differ:
                print(f"differs: {name}")
            print("static/fonts/ matches the pinned packages" if not differ else f"{len(differ)} files differ")
            return 1 if differ else 0
        if FONTS.exists():
            shutil.rmtree(FONTS)
        shutil.copytree(fresh, FONTS)
    total = sum(p.stat().st_size for p in FONTS.rglob("*.woff2"))
    print(f"wrote {FONTS.relative_to(REPO)}: {len(list(FONTS.rglob('*.woff2')))} woff2 files, {total:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
