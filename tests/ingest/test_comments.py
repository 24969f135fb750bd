"""Reader comments: cut off plain text, and abusive ones flagged by a visible lexicon."""

from __future__ import annotations

import pytest

from borderwatch.ingest.comments import comment_section_start, flag_abuse, make_comment, split_comments


@pytest.mark.parametrize("text, terms", [
    ("We knew that Yuon wanted to swallow the country.", ("yuon",)),
    ("Are we to let this animal Hun Sen rule us?", ("animal",)),
    ("The smugglers are animals and you know it.", ("animals",)),
    ("He is an animal.", ("animal",)),
    ("They should be executed in public.", ("should be executed",)),
    ("Kill them all at the checkpoint.", ("kill them",)),
    ("What an asshole, that minister.", ("asshole",)),
])
def test_abusive_text_is_flagged_with_its_terms(text: str, terms: tuple[str, ...]) -> None:
    assert flag_abuse(text) == terms


@pytest.mark.parametrize("text", [
    "Thank you for this report. I hope the police keep up the good work.",
    "Pangolins are animals that roll into a ball when threatened.",
    "The animals were handed to the Wildlife Alliance rescue centre.",
    "Police killed time waiting for the ferry; the dog unit searched the truck.",
    "The Vietnamese authorities should be thanked for their cooperation.",
])
def test_civil_text_is_not_flagged(text: str) -> None:
    assert flag_abuse(text) == ()


def test_make_comment_sets_flag_and_terms() -> None:
    comment = make_comment("Those bastards take a cut of every truck.", "Anonymous", "2021-03-09")
    assert comment.abusive and comment.abuse_terms == ("bastards",)
    assert (comment.author, comment.posted) == ("Anonymous", "2021-03-09")
    assert not make_comment("Useful, thanks.").abusive


def test_split_comments_blogger_style() -> None:
    text = ("Headline here\n\nFirst paragraph of the story.\n\nLast paragraph ends here.\n\n3 comments:\n\n"
            "Dara said...\n\nGreat work.\n\nMay 3, 2020 at 9:14 AM\n\nReply\nDelete\n\n"
            "Anonymous said...\n\nWho paid them?\n\nUnknown said...\n\nSame story every year.\n\n"
            "Post a Comment\n\nNewer Post Older Post Home")
    article, comments = split_comments(text)
    assert article.endswith("Last paragraph ends here.")
    assert [(c.author, c.text, c.posted) for c in comments] == [
        ("Dara", "Great work.", "2020-05-03"), ("Anonymous", "Who paid them?", None),
        ("Unknown", "Same story every year.", None)]


def test_split_comments_plain_header_without_authors() -> None:
    text = "Title\n\nPara one.\n\nPara two.\n\nComments\n\nI saw the trucks myself last week."
    article, comments = split_comments(text)
    assert article == "Title\n\nPara one.\n\nPara two."
    assert [(c.author, c.text) for c in comments] == [(None, "I saw the trucks myself last week.")]


def test_no_comment_section_leaves_text_whole() -> None:
    text = "Title\n\nPolice said the comments made by the minister were untrue.\n\nEnd."
    assert comment_section_start(text) is None
    assert split_comments(text) == (text, ())


def test_post_a_comment_with_no_comments_is_cut() -> None:
    text = "Title\n\nPara one.\n\nPara two.\n\nPost a Comment\n\nNewer Post Older Post Home"
    assert split_comments(text) == ("Title\n\nPara one.\n\nPara two.", ())


def test_a_comment_timestamp_may_carry_a_meridiem_and_a_time_zone() -> None:
    """The clock beside a comment's date is the dateline's clock: its words come from the packs."""
    text = ("Ferry held\n\nRangers stopped a ferry at the jetty.\n\nThey found turtles in crates.\n\n"
            "2 comments:\n\nSopheap said...\n\nGood catch by the rangers.\n\n11 June 2024 at 7:05 p.m. GMT+7\n\n"
            "Vanna wrote:\n\nWho owns the ferry?")
    _, comments = split_comments(text)
    assert [(c.author, c.text, c.posted) for c in comments] == [
        ("Sopheap", "Good catch by the rangers.", "2024-06-11"), ("Vanna", "Who owns the ferry?", None)]


def test_a_counted_responses_head_opens_the_section() -> None:
    text = "Title\n\nPara one.\n\nPara two.\n\nResponses (2)\n\nThe trucks cross every night."
    article, comments = split_comments(text)
    assert article == "Title\n\nPara one.\n\nPara two."
    assert [c.text for c in comments] == ["The trucks cross every night."]
