"""HTML pages -> Document: the article's main text via trafilatura (navigation, share bars,
related links and comments left out), metadata from the page, reader comments kept apart.

The headline is the first line of the text; paragraphs are separated by a blank line, as in
plain-text reports, so extraction sees both kinds the same way.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Sequence

import htmldate
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.settings import Document as Extracted
from trafilatura.utils import is_dubious_html, repair_faulty_html

from borderwatch.dates import parse_date
from borderwatch.errors import Rejected
from borderwatch.ingest.comments import author_without_says, make_comment
from borderwatch.ingest.text import detect_language, find_furniture, merge_furniture, normalize_text
from borderwatch.model import Comment, Document, Span

# A class or id word that marks a comment element; "comments-open" and the like describe a page.
_COMMENT_TOKEN = re.compile(r"comment|disqus", re.IGNORECASE)
_PAGE_STATE = re.compile(r"open|closed|enabled|disabled|allowed|^has[-_]|^no[-_]|count|number|link|icon"
                         r"|button|btn|toggle|respond|form", re.IGNORECASE)
# Parts of one comment: who, when, and the controls around it.
_AUTHOR_TOKEN = re.compile(r"author|name|\bfn\b|user|nick|poster", re.IGNORECASE)
_DATE_TOKEN = re.compile(r"date|time|posted|published|when", re.IGNORECASE)
_FIELD_TOKEN = re.compile(r"author|name|\bfn\b|user|nick|poster|date|time|posted|published|meta|avatar|reply"
                          r"|form|respond|content|text|body|header|footer|title|actions|vcard|metadata|says",
                          re.IGNORECASE)
_CONTROL_TOKEN = re.compile(r"reply|form|respond|actions|avatar|vote|like|report|share", re.IGNORECASE)
_SKIP_TAGS = {"html", "head", "body", "main", "script", "style", "form", "textarea", "button", "input",
              "noscript", "template"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_DATE_META = ("article:published_time", "og:published_time", "datePublished", "date", "pubdate",
              "publishdate", "publish_date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
_MIN_PARAGRAPH_CHARS = 40
_CODE_TAGS = {"script", "style"}
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_SIDE_WORDS = ("most-read", "mostread", "most_read", "popular", "trending", "related")
_SIDE_WORD = re.compile("|".join(map(re.escape, _SIDE_WORDS)))
_SIDE_TAGS = ("nav", "aside")
_SIDE_ROLES = ("navigation", "complementary")
BOILERPLATE_XPATH = ("//*[" + " or ".join([*(f"self::{tag}" for tag in _SIDE_TAGS),
                                          *(f"@role='{role}'" for role in _SIDE_ROLES),
                                          *(f"contains(@{attribute}, '{word}')" for attribute in ("class", "id")
                                            for word in _SIDE_WORDS)]) + "]")
"""What neither the article text nor the raw-page gate reads: navigation, sidebars, "most read",
"popular" and "related" lists (other stories' headlines, not this one's text). Trafilatura prunes
these before every stage, its fallbacks included (``prune_xpath``); ``page_pieces`` leaves out the
same elements (``is_boilerplate``, the same test in Python, a quarter of the XPath's cost), so the
gate's test stays a superset of the article text's."""


def parse_html(data: str, doc_id: str, source: str,
               relevant: Callable[[Sequence[str]], bool] | None = None,
               content_hash: str | None = None) -> Document:
    """An HTML page as a Document: main text with the headline first, comments apart.

    With ``relevant``, a page whose text nodes (``page_pieces``) it refuses is not extracted:
    its Document has the page's title and no text, language or date. ``content_hash`` is the
    payload's when the caller has taken it (``read_payload``: of the bytes read); else the page's own.
    """
    if content_hash is None:
        content_hash = _sha256(data)
    if relevant is not None:
        screened = _load_for_screen(data, source)
        if not relevant(page_pieces(screened)):
            # A page cut off before its body (or with an empty one) has no article for any reader: say so,
            # as trafilatura's "no text" would, rather than store it as an empty screened page.
            if not _has_body_text(screened):
                raise Rejected("no-text", "ingest", source, f"no article text found in {_name(source)}")
            title_el = screened.find(".//title")
            return Document(id=doc_id, text="", content_hash=content_hash, source=source, media_type="html",
                            title=_text(title_el) or None, language="")
    tree = _load(data, source)
    captions = [_text(el) for el in tree.iter("figcaption")]
    title_tag = _text(tree.find(".//title")) if tree.find(".//title") is not None else ""
    published_raw = _meta_date(tree)
    comments = extract_comments(tree)
    _drop_comment_sections(tree)
    result = trafilatura.bare_extraction(tree, include_comments=False, with_metadata=True,
                                         include_images=False, include_tables=True,
                                         prune_xpath=BOILERPLATE_XPATH)
    if not isinstance(result, Extracted) or not (result.text or "").strip():
        raise Rejected("no-text", "ingest", source, f"no article text found in {_name(source)}")
    title = (result.title or "").strip() or None
    text = _assemble(result.text or "", title)
    if text is None:
        raise Rejected("no-text", "ingest", source, f"no article text found in {_name(source)}")
    furniture = find_furniture(text, doc_id)
    furniture.extend(_caption_spans(text, captions, doc_id))
    published = _published(tree, (result.date or "").strip() or None)
    parsed = parse_date(published) if published else None
    return Document(
        id=doc_id, text=text, content_hash=content_hash, source=source, media_type="html",
        title=title, outlet=(result.sitename or "").strip() or _outlet_from_title(title_tag, title),
        url=(result.url or "").strip() or None, language=detect_language(text),
        published=parsed.iso if parsed else None, published_precision=parsed.precision if parsed else None,
        published_raw=(published_raw or published) if parsed else None,
        comments=comments, furniture=merge_furniture(furniture))


def _has_body_text(tree: etree._Element) -> bool:
    """Does the page's body hold any text outside scripts and styles? Stops at the first that does."""
    body = tree.find(".//body")
    if body is None:
        return False
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag not in _CODE_TAGS and el.text and el.text.strip():
            return True
        if el is not body and el.tail and el.tail.strip():
            return True
    return False


def page_pieces(tree: etree._Element) -> list[str]:
    """Every text node of the page (scripts, style sheets and ``BOILERPLATE_XPATH`` left out, but
    for JSON-LD), then the values of its ``<meta content>``: all an extracted article text and its
    headline can be cut from. Elements are taken in document order, each with its text, then its
    tail (pruning keeps an element's tail where the element was), then what is inside it."""
    pieces: list[str] = []
    metadata: list[str] = []
    stack = [tree]
    while stack:
        el = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else None  # comments and processing instructions: tail only
        if tag is not None and is_boilerplate(el):
            # Trafilatura reads metadata before it prunes: a sidebar's <meta> or JSON-LD still counts.
            # Only those are looked for inside (lxml's filtered walk, no object for every element).
            for inner in el.iter("meta", "script"):
                _add_metadata(inner, inner.tag, metadata)
        else:
            if tag == "meta" or tag == "script":
                _add_metadata(el, tag, metadata)
            if tag is not None and tag not in _CODE_TAGS and tag != "meta" and el.text:
                pieces.append(el.text)
            if len(el):
                stack.extend(reversed(el))
        if el.tail:
            pieces.append(el.tail)
    return pieces + metadata


def _add_metadata(el: etree._Element, tag: str | None, metadata: list[str]) -> None:
    """A ``<meta>``'s content or a JSON-LD script's text (its ``\\uXXXX`` escapes read)."""
    if tag == "meta":
        metadata.append(el.get("content") or "")
    elif tag == "script" and "ld+json" in (el.get("type") or "") and el.text:
        metadata.append(_JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), el.text))


def is_boilerplate(el: etree._Element) -> bool:
    """Does ``BOILERPLATE_XPATH`` select this element?"""
    if el.tag in _SIDE_TAGS:
        return True
    attributes = el.attrib
    return bool(attributes) and (attributes.get("role") in _SIDE_ROLES
                                 or bool(_SIDE_WORD.search(attributes.get("class", "")))
                                 or bool(_SIDE_WORD.search(attributes.get("id", ""))))


def extract_comments(tree: HtmlElement) -> tuple[Comment, ...]:
    """Reader comments from the page's comment section, each with author, date and text."""
    comments = []
    for item in _comment_items(tree):
        comment = _read_comment(item)
        if comment is not None:
            comments.append(comment)
    return tuple(comments)


def _load(data: str, source: str) -> HtmlElement:
    """The parsed page; Rejected "broken-html" when it is not markup a parser can read."""
    try:
        tree = trafilatura.load_html(data)
    except (ValueError, etree.ParserError) as exc:
        raise Rejected("broken-html", "ingest", source,
                       f"cannot parse {_name(source)} as HTML ({exc})") from exc
    if tree is None or not isinstance(tree, HtmlElement):
        raise Rejected("broken-html", "ingest", source,
                       f"cannot parse {_name(source)} as HTML (no markup a parser can read)")
    return tree


_SCREEN_PARSER = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                                  remove_comments=True, remove_pis=True)
"""Trafilatura's parser options (``trafilatura.utils.HTML_PARSER``) without ``lxml.html``'s element
classes: the same tree, but no Python class lookup for each element the screen walks (about 550 a
page). Only the screen reads it; a page it lets through is parsed again by ``_load``."""
_FULL_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)  # lxml.html.fromstring's own test


def _load_for_screen(data: str, source: str) -> etree._Element:
    """The tree ``_load`` gives, as plain lxml elements, for the screen's read of text and tags.

    A whole document (the usual page) is parsed here exactly as ``trafilatura.load_html`` parses
    it (the same repair, then libxml2 with the same options); anything else (a fragment, an XML
    encoding declaration, an empty parse) takes ``_load`` itself, with its fallbacks and refusals.
    """
    beginning = data[:50].lower()
    if not is_dubious_html(beginning):
        repaired = repair_faulty_html(data, beginning)
        if _FULL_DOCUMENT.match(repaired):
            try:
                tree = etree.fromstring(repaired, _SCREEN_PARSER)
            except (ValueError, etree.LxmlError):
                tree = None
            if tree is not None and len(tree) >= 1:
                return tree
    return _load(data, source)


def _assemble(raw: str, title: str | None) -> str | None:
    """Headline first, then the paragraphs, one blank line apart; None when no paragraph is left."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in raw.split("\n")]
    lines = [line for line in lines if line]
    if title:
        key = title.casefold()
        at = next((i for i, line in enumerate(lines[:4]) if line.casefold() == key), None)
        if at is not None and all(len(line) <= 60 for line in lines[:at]):
            lines = lines[at:]  # drop a section kicker ("National") above the headline
        elif at is None:
            lines.insert(0, title)
        body = lines[1:] if lines and lines[0].casefold() == key else lines
    else:
        body = lines
    # Navigation items and buttons are short; an article has at least one real paragraph.
    if not any(len(line) >= _MIN_PARAGRAPH_CHARS for line in body):
        return None
    return normalize_text("\n\n".join(lines))


def _comment_tokens(el: HtmlElement) -> list[str]:
    """The class and id words of ``el`` that mark it as (part of) a comment."""
    words = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return [w for w in words if _COMMENT_TOKEN.search(w) and not _PAGE_STATE.search(w)]


def _is_candidate(el: HtmlElement) -> bool:
    """A comment section or a single comment (not one of its parts, not a form)."""
    if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
        return False
    tokens = _comment_tokens(el)
    if not tokens or all(_FIELD_TOKEN.search(t) for t in tokens):
        return False
    # A wrapper around the article itself is never a comment section.
    return not any(isinstance(d.tag, str) and (d.tag == "h1" or d.tag == "article" and not _comment_tokens(d))
                   for d in el.iterdescendants())


def _in_form(el: HtmlElement) -> bool:
    return any(a.tag == "form" for a in el.iterancestors())


def _comment_items(tree: HtmlElement) -> list[HtmlElement]:
    """The single comments: candidates with text of their own once nested ones are set aside."""
    candidates = [el for el in tree.iter() if _is_candidate(el) and not _in_form(el)]
    return [el for el in candidates if _text(_own(el))]


def _own(el: HtmlElement) -> HtmlElement:
    """A copy of ``el`` without nested comments, forms, headings and reply controls."""
    own = copy.deepcopy(el)
    for child in list(own.iterdescendants()):
        if not isinstance(child.tag, str) or child.getparent() is None:
            continue
        tokens = f"{child.get('class') or ''} {child.get('id') or ''}"
        if (_is_candidate(child) or child.tag in _HEADINGS or child.tag in _SKIP_TAGS
                or (_CONTROL_TOKEN.search(tokens) and not _AUTHOR_TOKEN.search(tokens))):
            _remove(child)
    return own


def _read_comment(item: HtmlElement) -> Comment | None:
    """Author, date and text of one comment element; None when it holds no words."""
    own = _own(item)
    author_el = _first(own, lambda el: el.tag == "cite" or bool(_AUTHOR_TOKEN.search(_attrs(el))))
    date_el = _first(own, lambda el: el.tag == "time" or bool(_DATE_TOKEN.search(_attrs(el))))
    posted_raw = ""
    if date_el is not None and (author_el is None or date_el not in set(author_el.iterancestors())):
        posted_raw = date_el.get("datetime") or _text(date_el)
        _remove(date_el)
    author = None
    if author_el is not None:
        author = _text(author_el)
        _remove(author_el)
        inline = parse_date(author)
        if inline and not posted_raw:  # "kh_observer · 28 March 2013 09:14"
            posted_raw = author[inline.start:]
            author = author[:inline.start]
        author = author_without_says(author).strip(" \t·•|,-–—:") or None
    paragraphs = [_text(p) for p in own.iter("p")] or [_text(own)]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        return None
    # "2021-03-09T16:02:44+00:00": the date parser wants the day apart from the clock.
    posted_raw = re.sub(r"^(\d{4}-\d\d-\d\d)T", r"\1 ", posted_raw.strip())
    parsed = parse_date(posted_raw) if posted_raw else None
    return make_comment(text, author, parsed.iso if parsed else (posted_raw or None))


def _drop_comment_sections(tree: HtmlElement) -> None:
    """Remove comment sections from the page so no extractor fallback can take them for text."""
    for el in [el for el in tree.iter() if _is_candidate(el)]:
        if not any(_is_candidate(a) for a in el.iterancestors()) and el.getparent() is not None:
            _remove(el)


def _caption_spans(text: str, captions: list[str], doc_id: str) -> list[Span]:
    """Figure captions that the extractor kept in the text, as furniture."""
    spans = []
    for caption in captions:
        start = text.find(caption) if caption else -1
        if start >= 0:
            spans.append(Span(doc_id, start, start + len(caption), caption, field="caption"))
    return spans


def _published(tree: HtmlElement, found: str | None) -> str | None:
    """The page's date as trafilatura found it, unless all it had was a copyright year.

    With nothing better, htmldate's extensive search reads a "Copyright 2024" footer as 2024-01-01;
    a publication day that invented would resolve "on Sunday" against the wrong week.
    """
    if found and found.endswith("-01-01") and htmldate.find_date(copy.deepcopy(tree), extensive_search=False) is None:
        return None
    return found


def _meta_date(tree: HtmlElement) -> str | None:
    """The publication date exactly as the page's metadata states it."""
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if key.lower() in {k.lower() for k in _DATE_META} and (meta.get("content") or "").strip():
            return str(meta.get("content")).strip()
    for time in tree.iter("time"):
        if time.get("datetime") and ("pubdate" in time.attrib or time.get("itemprop") == "datePublished"):
            return str(time.get("datetime"))
    return None


def _outlet_from_title(title_tag: str, headline: str | None) -> str | None:
    """The site name from "Headline | Site" in the <title>, when the page names no site."""
    parts = _TITLE_SEPARATOR.split(title_tag)
    if len(parts) < 2:
        return None
    name = parts[-1].strip()
    if not name or (headline and name.casefold() == headline.casefold()) or len(name.split()) > 6:
        return None
    return name


def _first(root: HtmlElement, test: Callable[[HtmlElement], bool]) -> HtmlElement | None:
    """The first descendant of ``root`` passing ``test``."""
    for el in root.iterdescendants():
        if isinstance(el.tag, str) and test(el):
            return el
    return None


def _attrs(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"


def _remove(el: HtmlElement) -> None:
    """Take ``el`` out of its tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_STRING_VALUE = etree.XPath("string()", smart_strings=False)  # what ``HtmlElement.text_content`` returns


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return re.sub(r"\s+", " ", _STRING_VALUE(el)).strip()


def _sha256(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1]
