"""Sign-in limits kept in the database: back-off per address, caps, and the editor's notice."""

from __future__ import annotations

import pytest

from borderwatch.signin import SigninLimits, TooManyAttempts, check_signin, notice_for, record_signin
from borderwatch.store import Store

LIMITS = SigninLimits(free_failures=2, max_delay_s=60, client_limit=6, global_limit=10, window_s=600)


def test_back_off_doubles_per_failure_and_a_success_resets_it(store: Store) -> None:
    now = 1_000_000.0
    for _ in range(2):
        check_signin(store, "a", LIMITS, now)
        record_signin(store, "a", "ed", succeeded=False, now=now)
    with pytest.raises(TooManyAttempts) as refused:
        check_signin(store, "a", LIMITS, now + 0.5)
    assert refused.value.retry_after_s == 1
    check_signin(store, "a", LIMITS, now + 1.0)
    record_signin(store, "a", "ed", succeeded=False, now=now + 1.0)
    with pytest.raises(TooManyAttempts):
        check_signin(store, "a", LIMITS, now + 2.5)  # three failures: two seconds
    check_signin(store, "a", LIMITS, now + 3.0)
    check_signin(store, "b", LIMITS, now + 1.5)  # another address is not slowed
    record_signin(store, "a", "ed", succeeded=True, now=now + 3.0)
    check_signin(store, "a", LIMITS, now + 3.0)


def test_per_address_and_global_caps(store: Store) -> None:
    now = 2_000_000.0
    for step in range(6):  # spaced out past the back-off, still within the window
        record_signin(store, "a", f"n{step}", succeeded=False, now=now + step * 61)
    with pytest.raises(TooManyAttempts, match="from this address"):
        check_signin(store, "a", LIMITS, now + 6 * 61 + 61)
    for step in range(4):
        record_signin(store, f"c{step}", "ed", succeeded=False, now=now + 400)
    with pytest.raises(TooManyAttempts, match="on this site") as refused:
        check_signin(store, "fresh", LIMITS, now + 401)
    assert refused.value.retry_after_s == 600 - 401
    check_signin(store, "fresh", LIMITS, now + 1000)  # the oldest failures left the window


def test_notice_counts_failures_between_sign_ins(store: Store) -> None:
    assert notice_for(store, "ed") is None
    record_signin(store, "x", "ed", succeeded=False, now=10.0)
    record_signin(store, "y", "ED", succeeded=False, now=11.0)
    record_signin(store, "z", "ed", succeeded=True, now=12.0)
    assert notice_for(store, "Ed") == "2 failed sign-ins with your name from 2 addresses before this sign-in"
    record_signin(store, "z", "ed", succeeded=True, now=13.0)
    assert notice_for(store, "ed") is None
