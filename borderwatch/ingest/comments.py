"""Reader comments: cut them off a plain-text article, and flag the abusive ones.

Comments are kept with their document but are never evidence. Abuse is flagged with a
transparent lexicon and a few rules, so a reviewer can see exactly which words tripped it:
slurs (including the region's ethnic slurs), dehumanising words applied to a person,
incitement to violence, and profanity.
"""

from __future__ import annotations

import re

from borderwatch.dates import parse_date
from borderwatch.model import Comment

# Where a comment section starts in a plain-text repost (Blogger "1 comment:", "Comments").
_SECTION_START = re.compile(
    r"^[ \t]*(?:(?:\d+|no|one)[ \t]+(?:comments?|responses?|replies)[ \t]*:?"
    r"|(?:reader(?:'s|s')?[ \t]+)?comments?[ \t]*(?:\(\d+\))?[ \t]*:?"
    r"|responses?[ \t]*:?|post[ \t]+a[ \t]+comment|leave[ \t]+a[ \t]+(?:comment|reply))[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
# Blogger's page furniture after (or instead of) the comments: ends the comment block.
_SECTION_END = re.compile(
    r"^[ \t]*(?:post[ \t]+a[ \t]+comment|(?:newer|older)[ \t]+posts?\b.*|subscribe[ \t]+to:.*"
    r"|leave[ \t]+a[ \t]+(?:comment|reply))[ \t]*$", re.IGNORECASE | re.MULTILINE)
# "Anonymous said...", "Sok Dara says:", "Name wrote:" on a line of their own.
_AUTHOR_LINE = re.compile(
    r"^[ \t]*(?P<author>[^\n]{1,80}?)[ \t]+(?:said|says|wrote)[ \t]*(?:\.\.\.|…|:)?[ \t]*$", re.MULTILINE)
# Buttons that Blogger prints inside a comment.
_BUTTON_LINE = re.compile(r"^[ \t]*(?:reply|delete|replies|report abuse)[ \t]*$", re.IGNORECASE | re.MULTILINE)
# A line that is only a date, maybe with a clock time: the comment's timestamp.
_CLOCK = re.compile(r"\b(?:at[ \t]+)?\d{1,2}[:.]\d\d(?:[ \t]*[ap]\.?m\.?)?", re.IGNORECASE)

_SLURS = (r"a[- ]?yuons?", r"yuons?", r"chinks?", r"gooks?", r"niggers?", r"niggas?", r"kikes?",
          r"pakis?", r"wetbacks?", r"ragheads?", r"towelheads?", r"japs", r"slant[- ]?eyes?")
_PROFANITY = (r"fuck\w*", r"motherfuck\w*", r"shit(?:s|ty)?", r"bullshit", r"assholes?", r"arseholes?",
              r"bastards?", r"bitch(?:es)?", r"son of a bitch", r"cunts?", r"dickheads?", r"whores?",
              r"scumbags?", r"piece of shit")
_BEASTS = r"(?:animal|beast|dog|pig|swine|rat|cockroach|vermin|monkey|snake|parasite)s?"
_RULES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?:" + "|".join(_SLURS) + r")\b", re.IGNORECASE),
    re.compile(r"\b(?:" + "|".join(_PROFANITY) + r")\b", re.IGNORECASE),
    # "this animal Hun Sen": a beast word between a determiner and a capitalised name.
    re.compile(r"\b(?i:this|that|the|these|those|you|such an?|an?)\s+(?P<term>(?i:" + _BEASTS + r"))"
               r"\s+(?=[A-Z][\w'-]+)"),
    # "he is an animal", "you are pigs", "you dog".
    re.compile(r"\b(?:he|she|they|you)(?:\s+(?:is|are|was|were))?\s+(?:such\s+|nothing\s+but\s+)?"
               r"(?:an?\s+)?(?:dirty\s+|filthy\s+)?(?P<term>" + _BEASTS + r")\b", re.IGNORECASE),
    # "the smugglers are animals": a beast word said of people.
    re.compile(r"\b(?:people|men|women|smugglers|traffickers|dealers|police|officers|officials|leaders"
               r"|politicians|soldiers|criminals|thieves|immigrants|migrants|foreigners|[a-z]+ese|[a-z]+ians?)"
               r"\s+(?:are|were)\s+(?:all\s+)?(?:nothing\s+but\s+)?(?:dirty\s+|filthy\s+)?(?P<term>"
               + _BEASTS + r")\b", re.IGNORECASE),
    # Incitement to violence against people.
    re.compile(r"\b(?:kill|shoot|hang|behead|burn|lynch|slaughter|exterminate|execute)\s+"
               r"(?:him|her|them|all\s+of\s+them|every\s+one\s+of\s+them|these\s+\w+|those\s+\w+)\b", re.IGNORECASE),
    re.compile(r"\b(?:should|must|deserves?\s+to|ought\s+to)\s+(?:be\s+)?(?:killed|shot|hanged|hung|executed"
               r"|burn(?:ed|t)|lynched|slaughtered|beheaded|die)\b", re.IGNORECASE),
    re.compile(r"\bdeath\s+to\b", re.IGNORECASE),
)


def flag_abuse(text: str) -> tuple[str, ...]:
    """The abusive terms in ``text``, lower-cased, in order of first use; empty when it is civil."""
    found: list[tuple[int, str]] = []
    for rule in _RULES:
        for m in rule.finditer(text):
            group = "term" if "term" in rule.groupindex else 0
            found.append((m.start(group), re.sub(r"\s+", " ", m.group(group)).lower()))
    terms: list[str] = []
    for _, term in sorted(found):
        if term not in terms:
            terms.append(term)
    return tuple(terms)


def make_comment(text: str, author: str | None = None, posted: str | None = None) -> Comment:
    """A Comment with its abuse flag set from the lexicon."""
    terms = flag_abuse(text)
    return Comment(text=text, author=author, posted=posted, abusive=bool(terms), abuse_terms=terms)


def comment_section_start(text: str) -> int | None:
    """Where the reader-comment section begins in plain text, or None when there is none."""
    for m in _SECTION_START.finditer(text):
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
    if _SECTION_END.match(text, start):  # "Post a Comment" with nobody having commented yet
        return article, ()
    header_end = text.find("\n", start)
    block = "" if header_end < 0 else text[header_end + 1:]
    end = _SECTION_END.search(block)
    if end:
        block = block[:end.start()]
    return article, _parse_block(block)


def _parse_block(block: str) -> tuple[Comment, ...]:
    """Comments in a section: one per "X said..." line, or the whole block when it names nobody."""
    heads = list(_AUTHOR_LINE.finditer(block))
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
    lines = [line.strip() for line in _BUTTON_LINE.sub("", body).split("\n")]
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
    rest = _CLOCK.sub("", line.replace(parsed.raw, ""))
    return not re.sub(r"[\W_]+", "", rest)
