"""The exceptions borderwatch raises; each interface turns them into one message in one place."""

from __future__ import annotations


class BorderwatchError(Exception):
    """Base of every error borderwatch reports to a user."""


class InputError(BorderwatchError):
    """A path, URL or option the user gave cannot be used."""


class ConfigError(BorderwatchError):
    """Settings are missing or contradictory."""


class StoreError(BorderwatchError):
    """The database cannot be reached or is not at the expected schema."""


class DatabaseNameError(StoreError, InputError):
    """The database the user named does not exist (for a read) or is of a kind we do not speak."""


class Rejected(BorderwatchError):
    """One input (or candidate fact) is set aside with a reason; the run goes on.

    Raised inside a stage; ``pipeline`` catches it, records a rejection and quarantines
    the original bytes.
    """

    def __init__(self, reason: str, stage: str, source: str, message: str | None = None) -> None:
        self.reason = reason
        self.stage = stage
        self.source = source
        self.message = message or reason
        super().__init__(f"{self.message} in {source}")


class FetchRefused(InputError):
    """A live source is not fetched: an address not allowed, robots.txt, a redirect limit, a size cap,
    or an answer that is not a document."""
