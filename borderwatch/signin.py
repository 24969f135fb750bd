"""Sign-in limits kept in the database, so every worker process and every instance agree.

Each attempt is a ``signin_attempts`` row. Three rules decide whether an address may try now:

- back-off: after ``free_failures`` failures in a row from one address, it waits
  ``2 ** (failures - free_failures)`` seconds after its last failure (at most ``max_delay_s``);
- per-address cap: at most ``client_limit`` failures from one address within ``window_s``;
- global cap: at most ``global_limit`` failures from all addresses within ``window_s``.

Limits follow the address, never the name tried, so nobody can lock an editor out by failing
with their name from elsewhere; the editor is told about such failures instead (``notice_for``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import sqlalchemy as sa

from borderwatch.errors import Rejected
from borderwatch.store import tables as t
from borderwatch.store.repo import Store

STAGE = "signin"
_KEEP_S = 86_400.0  # attempts older than a day decide nothing and are deleted
_NAME_CHARS = 128


@dataclass(frozen=True)
class SigninLimits:
    """How many failures, how fast: per address and for the whole site."""

    free_failures: int = 3
    max_delay_s: float = 900.0
    client_limit: int = 20
    global_limit: int = 1000
    window_s: float = 600.0


class TooManyAttempts(Rejected):
    """A sign-in refused before the password is checked; ``retry_after_s`` says when to try again."""

    def __init__(self, source: str, message: str, retry_after_s: float) -> None:
        super().__init__("too-many-attempts", STAGE, source, message)
        self.retry_after_s = max(1, math.ceil(retry_after_s))


def check_signin(store: Store, client: str, limits: SigninLimits, now: float | None = None) -> None:
    """Raise TooManyAttempts when ``client`` (an address) may not try to sign in at ``now``."""
    now = time.time() if now is None else now
    attempts = t.signin_attempts
    since = now - limits.window_s
    with store.engine.connect() as conn:
        last_success = conn.execute(sa.select(sa.func.max(attempts.c.at)).where(
            attempts.c.client == client, attempts.c.succeeded.is_(True))).scalar()
        streak = conn.execute(sa.select(sa.func.count(), sa.func.max(attempts.c.at)).where(
            attempts.c.client == client, attempts.c.succeeded.is_(False),
            attempts.c.at > max(last_success or 0.0, now - _KEEP_S))).one()
        recent = conn.execute(sa.select(sa.func.count(), sa.func.min(attempts.c.at)).where(
            attempts.c.client == client, attempts.c.succeeded.is_(False), attempts.c.at > since)).one()
        everyone = conn.execute(sa.select(sa.func.count(), sa.func.min(attempts.c.at)).where(
            attempts.c.succeeded.is_(False), attempts.c.at > since)).one()
    source = f"client {client}"
    if everyone[0] >= limits.global_limit:
        raise TooManyAttempts(source, "too many failed sign-ins on this site; try again later",
                              everyone[1] + limits.window_s - now)
    if recent[0] >= limits.client_limit:
        raise TooManyAttempts(source, "too many failed sign-ins from this address; try again later",
                              recent[1] + limits.window_s - now)
    failures, last_failure = streak
    if failures >= limits.free_failures:
        delay = min(2.0 ** (failures - limits.free_failures), limits.max_delay_s)
        if now < last_failure + delay:
            raise TooManyAttempts(source, "too many failed sign-ins from this address; "
                                  f"wait {math.ceil(last_failure + delay - now)} s", last_failure + delay - now)


def record_signin(store: Store, client: str, name: str, succeeded: bool, now: float | None = None) -> None:
    """Store one attempt (and forget those too old to matter)."""
    now = time.time() if now is None else now
    with store.engine.begin() as conn:
        conn.execute(sa.delete(t.signin_attempts).where(t.signin_attempts.c.at < now - _KEEP_S))
        conn.execute(sa.insert(t.signin_attempts).values(
            client=client, name=name.lower()[:_NAME_CHARS], succeeded=succeeded, at=now))


def notice_for(store: Store, name: str) -> str | None:
    """What the user should know: failed sign-ins with their name between their last two sign-ins."""
    attempts = t.signin_attempts
    key = name.lower()[:_NAME_CHARS]
    with store.engine.connect() as conn:
        successes = conn.execute(sa.select(attempts.c.at).where(
            attempts.c.name == key, attempts.c.succeeded.is_(True))
            .order_by(attempts.c.at.desc()).limit(2)).scalars().all()
        if not successes:
            return None
        window = [attempts.c.name == key, attempts.c.succeeded.is_(False), attempts.c.at < successes[0]]
        if len(successes) > 1:
            window.append(attempts.c.at > successes[1])
        failures, addresses = conn.execute(sa.select(
            sa.func.count(), sa.func.count(sa.distinct(attempts.c.client))).where(*window)).one()
    if not failures:
        return None
    return (f"{failures} failed sign-in{'s' if failures != 1 else ''} with your name from "
            f"{addresses} address{'es' if addresses != 1 else ''} before this sign-in")
