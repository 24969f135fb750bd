"""Write a corpus of hostile inputs for `borderwatch ingest`, next to a few valid reports.

    python scripts/make_hostile_corpus.py FOLDER [--limit-mb N]

Nothing here is stored in the repository as a file: every case is built from code. Each case is
one entry in FOLDER; ``make_corpus`` returns what each entry is expected to be (``valid``: a
report to store, ``hostile``: to quarantine or pass over, ``passed-over:<kind>``: an entry that
is not an input at all). ``--limit-mb`` is the ``max_file_mb`` the run will use (the size cases
sit just under and just over it).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VALID_REPORTS = (
    "2018-05-03_hcmc-pangolin-vietnamplus.txt",
    "2023-08-23_ratanakiri-meth-illustrative.txt",
    "2024-11-14_stungtreng-meth-laotiantimes.txt",
    "2025-04-15_champasak-boat-illustrative.txt",
    "undated_tbongkhmum-rosewood-cambodiadaily.txt",
)
PROSE = ("Border police in Stung Treng province seized 12 kilograms of methamphetamine from a "
         "truck crossing from Laos on Tuesday, officials said. ")


def _warc_record(record_type: str, uri: str, payload: bytes, http: bool = True) -> bytes:
    """One uncompressed WARC/1.0 record; ``payload`` wrapped in an HTTP response when ``http``."""
    if http:
        payload = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                   + f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
    content_type = "application/http; msgtype=response" if http else "text/plain"
    head = (f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Target-URI: {uri}\r\n"
            f"WARC-Date: 2024-11-14T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(payload)}\r\n\r\n").encode()
    return head + payload + b"\r\n\r\n"


def _billion_laughs() -> bytes:
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE rss [', '<!ENTITY lol "lol">']
    lines += [f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)]
    lines += [']>', '<rss version="2.0"><channel><title>t</title>',
              '<item><title>x</title><description>&lol9;</description></item></channel></rss>']
    return "\n".join(lines).encode()


def _feed(items: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>news</title>'
            f'{items}</channel></rss>').encode()


def _byte_cases(limit_bytes: int) -> dict[str, bytes]:
    """Hostile files that are plain bytes, by name."""
    text = PROSE * 4
    cases: dict[str, bytes] = {
        # encodings
        "enc-utf16le-bom.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        "enc-utf16be-bom.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "enc-utf16le-nobom.txt": text.encode("utf-16-le"),
        "enc-utf16be-nobom.txt": text.encode("utf-16-be"),
        "enc-utf32le-bom.txt": b"\xff\xfe\x00\x00" + text.encode("utf-32-le"),
        "enc-utf32be-bom.txt": b"\x00\x00\xfe\xff" + text.encode("utf-32-be"),
        "enc-utf32le-nobom.txt": text.encode("utf-32-le"),
        "enc-utf32be-nobom.txt": text.encode("utf-32-be"),
        "enc-utf8-bom.txt": b"\xef\xbb\xbf" + text.encode(),
        "enc-cp1252.txt": ("Caf\u00e9 \u201cborder\u201d \u2013 " + text).encode("cp1252"),
        "enc-shift-jis.txt": ("\u56fd\u5883\u8b66\u5bdf\u306f\u899a\u305b\u3044\u5264\u3092\u62bc\u53ce\u3057\u305f\u3002" * 20).encode("shift_jis"),
        "enc-broken-utf8.txt": text.encode() + b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc" * 50,
        "enc-lone-surrogates.txt": text.encode() + b"\xed\xa0\x80\xed\xbf\xbf" * 20,
        "enc-overlong-utf8.txt": b"\xc0\xaf\xe0\x80\xaf" * 200,
        "enc-nul-bytes.txt": b"\x00" * 4096,
        "enc-nul-in-text.txt": text.encode().replace(b" ", b"\x00"),
        "enc-mixed-utf8-utf16.txt": text.encode() + text.encode("utf-16-le"),
        "enc-mixed-utf8-cp1252.txt": "na\u00efve ".encode() + "na\u00efve \u2013 ".encode("cp1252") + text.encode(),
        "enc-declared-utf7.html": b'<meta charset="utf-7"><p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>',
        "enc-declared-bogus.html": b'<meta charset="x-no-such-charset"><p>' + text.encode() + b"</p>",
        "enc-control-chars.txt": bytes(range(1, 32)) * 100,
        "enc-random-binary.txt": bytes((n * 7919 + 13) % 256 for n in range(8192)),
        "enc-gzip-as-text.txt": gzip.compress(text.encode()),
        "enc-rtl-override.txt": ("\u202e" + text + "\u202d").encode(),
        # sizes
        "size-empty.txt": b"",
        "size-one-byte.txt": b"x",
        "size-one-newline.txt": b"\n",
        "size-whitespace.txt": b" \t\r\n" * 1000,
        "size-just-under-limit.txt": (text.encode() * (limit_bytes // len(text.encode()) + 1))[:limit_bytes - 1],
        "size-just-over-limit.txt": b"a" * (limit_bytes + 1),
        "size-one-long-line.txt": b"meth" * (limit_bytes // 8),
        "size-empty.html": b"",
        "size-empty.rss": b"",
        "size-empty.warc": b"",
        "size-empty.warc.gz": b"",
        # broken and huge HTML
        "html-unclosed-tags.html": b"<html><body><div><p><b><i>" + text.encode() + b"<table><tr><td>",
        "html-nested-divs.html": b"<html><body>" + b"<div>" * 50_000 + text.encode() + b"</div>" * 50_000,
        "html-nested-unclosed.html": b"<html><body>" + b"<span><div>" * 25_000 + text.encode(),
        "html-huge-attribute.html": b'<html><body><p title="' + b"A" * (limit_bytes // 2) + b'">' + text.encode() + b"</p>",
        "html-script-only.html": b"<html><head><script>" + b"var x = 1;" * 5000 + b"</script></head><body></body></html>",
        "html-style-only.html": b"<html><head><style>" + b"p{color:red}" * 5000 + b"</style></head></html>",
        "html-comment-bomb.html": b"<html><body><!--" + b"-" * 100_000 + b"<p>" + text.encode(),
        "html-no-body.html": b"<html><head><title>" + text.encode() + b"</title></head></html>",
        "html-binary-junk.html": b"<html>" + bytes(range(256)) * 64,
        "html-many-entities.html": b"<p>" + b"&amp;&lt;&#x10FFFF;&#0;&#xD800;&bogus;" * 5000 + b"</p>",
        "html-frameset.html": b'<frameset><frame src="file:///etc/passwd"></frameset>',
        "html-svg-xxe.html": b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
        # WARC bombs
        "warc-truncated-gzip.warc.gz": gzip.compress(_warc_record("response", "http://a.example/1", b"<p>" + text.encode() + b"</p>"))[:-40],
        "warc-inflates-past-limit.warc.gz": _gzip_bomb(_warc_record("response", "http://a.example/big", b"<p>" + b"a" * (limit_bytes * 3) + b"</p>")),
        "warc-bad-header.warc": b"WARC/9.9\r\nWARC-Type: ???\r\nContent-Length: banana\r\n\r\n" + text.encode(),
        "warc-huge-content-length.warc": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999999999999999\r\n\r\nxx",
        "warc-negative-length.warc": b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: -5\r\n\r\nxx",
        "warc-no-blank-line.warc": b"WARC/1.0\r\nWARC-Type: response\r\n" + b"X-Pad: y\r\n" * 10_000,
        "warc-non-http-records.warc": (_warc_record("warcinfo", "urn:info", b"software: x", http=False)
                                       + _warc_record("resource", "dns:a.example", b"1.2.3.4", http=False)
                                       + _warc_record("metadata", "http://a.example/", b"via: x", http=False)
                                       + _warc_record("conversion", "http://a.example/", b"x", http=False)),
        "warc-not-a-warc.warc": text.encode(),
        "warc-garbage.warc.gz": b"\x1f\x8b\x08" + bytes(range(256)) * 8,
        "warc-concatenated-truncated.warc": _warc_record("response", "http://a.example/2", b"<p>x</p>")[:-200] * 3,
        "warc-http-garbage.warc": _warc_record("response", "http://a.example/3", b"\x00\x01\x02", http=False).replace(
            b"Content-Type: text/plain", b"Content-Type: application/http; msgtype=response"),
        # feed bombs
        "feed-billion-laughs.rss": _billion_laughs(),
        "feed-external-entity.rss": (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                                     b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
                                     b"<description>&xxe;</description></item></channel></rss>"),
        "feed-external-dtd.rss": (b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
                                  b'<rss version="2.0"><channel><title>t</title></channel></rss>'),
        "feed-parameter-entity.xml": (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/passwd">%p;]>'
                                      b'<rss version="2.0"><channel/></rss>'),
        "feed-10000-empty-entries.rss": _feed("<item></item>" * 10_000),
        "feed-10000-empty-atom.atom": (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                                       + b"<entry></entry>" * 10_000 + b"</feed>"),
        "feed-broken-xml.rss": b'<?xml version="1.0"?><rss><channel><item><title>x</titl',
        "feed-not-xml.xml": text.encode(),
        "feed-deep-nesting.rss": _feed("<item><description>" + "<x>" * 20_000 + "</x>" * 20_000 + "</description></item>"),
        "feed-cdata-script.rss": _feed("<item><title>x</title><description><![CDATA[<script>alert(1)</script>]]></description></item>"),
        # wrong suffixes
        "misc-unsupported.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        "misc-no-suffix": text.encode(),
    }
    return cases


def _gzip_bomb(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def make_corpus(folder: Path, limit_mb: int = 1) -> dict[str, str]:
    """Write every case into ``folder``; returns each entry's name and what it is expected to be."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}
    for name in VALID_REPORTS:
        shutil.copyfile(REPO / "examples" / "corpus" / name, folder / f"valid-{name}")
        expected[f"valid-{name}"] = "valid"
    for name, data in _byte_cases(limit_mb * 1024 * 1024).items():
        (folder / name).write_bytes(data)
        expected[name] = "hostile"
    # Every record in it is a kind that is not a page: counted, not quarantined.
    expected["warc-non-http-records.warc"] = "passed-over:WARC warcinfo records"

    fifo = folder / "fs-fifo.txt"
    os.mkfifo(fifo)
    expected[fifo.name] = "passed-over:FIFOs"
    loop_a, loop_b = folder / "fs-loop-a.txt", folder / "fs-loop-b.txt"
    loop_a.symlink_to(loop_b.name)
    loop_b.symlink_to(loop_a.name)
    expected[loop_a.name] = expected[loop_b.name] = "passed-over:broken links"
    (folder / "fs-dangling.txt").symlink_to("no-such-report.txt")
    expected["fs-dangling.txt"] = "passed-over:broken links"
    (folder / "fs-dir-loop").mkdir()
    (folder / "fs-dir-loop" / "back").symlink_to("..", target_is_directory=True)
    expected["fs-dir-loop"] = "folder"
    (folder / "fs-directory-named-like-a-report.txt").mkdir()
    expected["fs-directory-named-like-a-report.txt"] = "folder"
    (folder / "fs-directory.warc.gz").mkdir()
    expected["fs-directory.warc.gz"] = "folder"
    unreadable = folder / "fs-unreadable.txt"
    unreadable.write_bytes(b"\x00\x01" * 10)
    unreadable.chmod(0)
    expected[unreadable.name] = "hostile"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "fs-socket.txt"))
        expected["fs-socket.txt"] = "passed-over:sockets"
    except OSError:  # a path too long for a socket address: the case is left out
        pass
    finally:
        sock.close()
    (folder / ".fs-hidden.txt").write_bytes(b"\x00")
    expected[".fs-hidden.txt"] = "passed-over:hidden files"
    return expected


def main() -> None:
    """Write the corpus into the folder named on the command line and print its cases."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit-mb", type=int, default=1)
    args = parser.parse_args()
    expected = make_corpus(args.folder, args.limit_mb)
    json.dump(expected, sys.stdout, indent=1, sort_keys=True)
    print(f"\n{len(expected)} cases in {args.folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
