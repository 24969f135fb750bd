"""Reader comments: cut them off a plain-text article, and flag the abusive ones.

Comments are kept with their document but are never evidence. Abuse is flagged with a
transparent lexicon and a few rules, so a reviewer can see exactly which words tripped it:
slurs (including the region's ethnic slurs), dehumanising words applied to a person,
incitement to violence, and profanity.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from borderwatch.dates import clock_pattern, parse_date
from borderwatch.lang import every_pattern
from borderwatch.model import Comment


@cache
def _section_start() -> re.Pattern[str]:
    """Where a comment section starts in a plain-text repost (Blogger "1 comment:", "Comments (2)"):
    a count of comments, a heading or an invitation to comment on a line of its own, in every pack's
    words, since the site's template may be in another language than its report."""
    count = rf"(?:\d+|{every_pattern('comment_count_words')})[ \t]+(?:{every_pattern('comment_count_nouns')})[ \t]*:?"
    heading = rf"(?:{every_pattern('comment_heading')})[ \t]*(?:\(\d+\))?[ \t]*:?"
    return re.compile(rf"^[ \t]*(?:{count}|{heading}|{every_pattern('comment_invite')})[ \t]*$",
                      re.IGNORECASE | re.MULTILINE)


@cache
def _section_end() -> re.Pattern[str]:
    """Blogger's page furniture after (or instead of) the comments: ends the comment block."""
    return re.compile(rf"^[ \t]*(?:{every_pattern('comment_invite')}|(?:{every_pattern('comment_page_links')}).*)[ \t]*$",
                      re.IGNORECASE | re.MULTILINE)


@cache
def _author_line() -> re.Pattern[str]:
    """"Anonymous said...", "Sok Dara says:", "Name wrote:" on a line of their own."""
    return re.compile(rf"^[ \t]*(?P<author>[^\n]{{1,80}}?)[ \t]+(?:{every_pattern('comment_says')})"
                      r"[ \t]*(?:\.\.\.|…|:)?[ \t]*$", re.MULTILINE)


@cache
def _says_after_author() -> re.Pattern[str]:
    """The "says:" after the name in a page's comment author element."""
    return re.compile(rf"\s+(?:{every_pattern('comment_says')})\s*(?::|\.\.\.|…)?\s*$", re.IGNORECASE)


@cache
def _button_line() -> re.Pattern[str]:
    """Buttons that Blogger prints inside a comment."""
    return re.compile(rf"^[ \t]*(?:{every_pattern('comment_buttons')})[ \t]*$", re.IGNORECASE | re.MULTILINE)


# A term's edges: no letter or digit of a script that spaces its words may run on past them, and no
# combining mark may follow (it belongs to a longer word); between the letters of scripts written
# without spaces (Thai, Khmer, Chinese ...) a word may begin or end anywhere.
_SPACED = r"0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_START = rf"(?<![{_SPACED}])"
_END = rf"(?![{_SPACED}\u0300-\u036F])"


@cache
def _abuse_rules() -> tuple[re.Pattern[str], ...]:
    """The abuse lexicon and rules, in every pack's words (a comment's language is not known)."""
    beast = every_pattern("abuse_beast")
    flags = re.IGNORECASE
    return (
        re.compile(rf"{_START}(?:{every_pattern('abuse_slur')}){_END}", flags),
        re.compile(rf"{_START}(?:{every_pattern('abuse_profanity')}){_END}", flags),
        # "this animal Hun Sen": a beast word between a determiner and a capitalised name.
        re.compile(rf"{_START}(?i:{every_pattern('abuse_beast_before_name')})\s+(?P<term>(?i:{beast}))"
                   r"\s+(?=[A-Z][\w'-]+)"),
        # "he is an animal", "you are pigs", "you dog".
        re.compile(rf"{_START}(?:{every_pattern('abuse_beast_of_person')})(?P<term>{beast}){_END}", flags),
        # "the smugglers are animals": a beast word said of people.
        re.compile(rf"{_START}(?:{every_pattern('abuse_beast_of_people')})(?P<term>{beast}){_END}", flags),
        # Incitement to violence against people.
        re.compile(rf"{_START}(?:{every_pattern('abuse_violence_at')}){_END}", flags),
        re.compile(rf"{_START}(?:{every_pattern('abuse_violence_wished')}){_END}", flags),
        re.compile(rf"{_START}(?:{every_pattern('abuse_violence_call')}){_END}", flags),
    )


def flag_abuse(text: str) -> tuple[str, ...]:
    """The abusive terms in ``text``, lower-cased, in order of first use; empty when it is civil."""
    found: list[tuple[int, str]] = []
    for rule in _abuse_rules():
        for m in rule.finditer(text):
            group = "term" if "term" in rule.groupindex else 0
            if m.end(group) < len(text) and unicodedata.category(text[m.end(group)]).startswith("M"):
                continue  # "หมู" of "หมู่บ้าน": the mark after it makes the term part of a longer word
            found.append((m.start(group), re.sub(r"\s+", " ", m.group(group)).lower()))
    terms: list[str] = []
    for _, term in sorted(found):
        if term not in terms:
            terms.append(term)
    return tuple(terms)


def author_without_says(author: str) -> str:
    """A comment's author as a page prints it, without the "says:" after the name."""
    return _says_after_author().sub("", author)


def make_comment(text: str, author: str | None = None, posted: str | None = None) -> Comment:
    """A Comment with its abuse flag set from the lexicon."""
    terms = flag_abuse(text)
    return Comment(text=text, author=author, posted=posted, abusive=bool(terms), abuse_terms=terms)


def comment_section_start(text: str) -> int | None:
    """Where the reader-comment section begins in plain text, or None when there is none."""
    for m in _section_start().finditer(text):
        # A header line within the article's first lines is a headline word, not a section.
        if text.count("\n", 0, m.start()) >= 3:
            return m.start()
    return None


def split_comments(text: str) -> tuple[str, tuple[Comment, ...]]:
    """The article without its comment section, and the comments from that section."""
    start = comment_section_start(text)
    if start is None:
        return text, ()
    article = text[:start].rstrip()
    if _section_end().match(text, start):  # "Post a Comment" with nobody having commented yet
        return article, ()
    header_end = text.find("\n", start)
    block = "" if header_end < 0 else text[header_end + 1:]
    end = _section_end().search(block)
    if end:
        block = block[:end.start()]
    return article, _parse_block(block)


def _parse_block(block: str) -> tuple[Comment, ...]:
    """Comments in a section: one per "X said..." line, or the whole block when it names nobody."""
    heads = list(_author_line().finditer(block))
    if not heads:
        comment = _build(block, None)
        return (comment,) if comment else ()
    comments = []
    for i, head in enumerate(heads):
        body_end = heads[i + 1].start() if i + 1 < len(heads) else len(block)
        comment = _build(block[head.end():body_end], head.group("author").strip())
        if comment:
            comments.append(comment)
    return tuple(comments)


def _build(body: str, author: str | None) -> Comment | None:
    """One comment from its body lines; a lone date line at either end is its timestamp."""
    lines = [line.strip() for line in _button_line().sub("", body).split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    posted = None
    for index in (-1, 0):
        if lines and _is_timestamp(lines[index]):
            parsed = parse_date(lines[index])
            posted = parsed.iso if parsed else None
            lines.pop(index)
            break
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not text:
        return None
    return make_comment(text, author, posted)


def _is_timestamp(line: str) -> bool:
    """Is this line only a date (and maybe a clock time)?"""
    parsed = parse_date(line)
    if parsed is None or len(line) > 60:
        return False
    rest = clock_pattern().sub("", line.replace(parsed.raw, ""))
    return not re.sub(r"[\W_]+", "", rest)
