"""Editorial review on SQLite and PostgreSQL: passwords, sessions, revisions, overlays, migration 0002."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from borderwatch import review
from borderwatch.errors import Rejected
from borderwatch.model import Facts
from borderwatch.store import EventFilter, Store
from borderwatch.store import tables as t
from borderwatch.store.migrations import current_revision, downgrade_schema, upgrade_schema

PASSWORD = "correct horse battery"


@pytest.fixture
def facts(store: Store, make_facts: Callable[..., Facts]) -> Facts:
    """The conftest report, stored."""
    built: Facts = make_facts()
    assert store.add(built)
    return built


@pytest.fixture
def editor(store: Store) -> review.User:
    """A signed-up editor."""
    return review.add_user(store, "ed", "editor", PASSWORD)


def _event_rows(store: Store) -> list[dict[str, object]]:
    with store._engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.select(t.events).order_by(t.events.c.pk))]


# ---- passwords and users --------------------------------------------------------------------

def test_password_hash_is_argon2id_and_verifies_only_the_right_password() -> None:
    hashed = review.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert review.verify_password(hashed, PASSWORD)
    assert not review.verify_password(hashed, PASSWORD + "!")
    assert not review.verify_password("not a hash", PASSWORD)
    assert review.hash_password(PASSWORD) != hashed  # salted


def test_users_store_only_the_hash_and_authenticate(store: Store, editor: review.User) -> None:
    with store._engine.connect() as conn:
        stored = conn.execute(sa.select(t.users.c.password_hash).where(t.users.c.name == "ed")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert review.authenticate(store, "ed", PASSWORD) == editor
    for name, password in (("ed", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(Rejected) as caught:
            review.authenticate(store, name, password)
        assert caught.value.reason == "bad-credentials"


@pytest.mark.parametrize(("name", "role", "password", "reason"), [
    ("ed", "editor", PASSWORD, "user-exists"),
    ("new", "admin", PASSWORD, "invalid-role"),
    ("new", "viewer", "short", "weak-password"),
    ("bad name", "viewer", PASSWORD, "invalid-name"),
])
def test_bad_users_are_rejected_with_a_reason(store: Store, editor: review.User, name: str, role: str,
                                              password: str, reason: str) -> None:
    with pytest.raises(Rejected) as caught:
        review.add_user(store, name, role, password)
    assert caught.value.reason == reason


def test_sessions_are_stored_hashed_and_end_on_sign_out(store: Store, editor: review.User) -> None:
    token, session = review.start_session(store, editor)
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    with store._engine.connect() as conn:
        stored = conn.execute(sa.select(t.sessions.c.token_hash)).scalar_one()
    assert stored != token and token not in stored
    assert review.session_for(store, token) == session
    assert review.session_for(store, token + "x") is None
    assert review.session_for(store, None) is None
    review.end_session(store, token)
    assert review.session_for(store, token) is None


def test_expired_sessions_do_not_sign_in(store: Store, editor: review.User) -> None:
    token, _ = review.start_session(store, editor)
    with store._engine.begin() as conn:
        conn.execute(sa.update(t.sessions).values(expires="2000-01-01T00:00:00+00:00"))
    assert review.session_for(store, token) is None


def test_csrf_comparison() -> None:
    assert review.csrf_matches("abc", "abc")
    assert not review.csrf_matches("abc", "abd")
    assert not review.csrf_matches("abc", None)
    assert not review.csrf_matches("abc", "")


# ---- review actions ------------------------------------------------------------------------------

def test_correction_adds_a_revision_and_keeps_the_original_row(store: Store, facts: Facts,
                                                                  editor: review.User) -> None:
    event = facts.events[0]
    rows_before = _event_rows(store)
    revision = review.review(store, editor, "seizure", event.id, "admin1", "correct", "Savannakhet",
                             note="the seizure was on the Lao side")
    assert (revision.before, revision.after, revision.who, revision.action) == (
        event.admin1, "Savannakhet", "ed", "correct")
    assert revision.at.endswith("+00:00") and revision.doc_id == event.doc_id
    assert _event_rows(store) == rows_before
    stored = store.facts(event.doc_id)
    assert stored is not None and stored.events[0] == event
    current = review.current_event(store, event.id)
    assert current.fact.admin1 == "Savannakhet" and current.original == event
    assert set(current.corrected) == {"admin1"} and not current.rejected
    assert review.review_record(current)["corrected"]["admin1"]["original"] == event.admin1


def test_history_lists_revisions_in_order_with_chained_before_values(store: Store, facts: Facts,
                                                                     editor: review.User) -> None:
    event = facts.events[0]
    review.review(store, editor, "seizure", event.id, "arrests", "correct", "3")
    review.review(store, editor, "seizure", event.id, "arrests", "correct", 4)
    review.review(store, editor, "seizure", event.id, "arrests", "confirm")
    review.review(store, editor, "seizure", event.id, "date", "correct", "4 March 2024")
    trail = review.history(store, "seizure", event.id)
    assert [(r.field, r.action, r.before, r.after) for r in trail] == [
        ("arrests", "correct", event.arrests, 3), ("arrests", "correct", 3, 4), ("arrests", "confirm", 4, 4),
        ("date", "correct", event.date, "2024-03-04")]
    assert [r.id for r in trail] == sorted(r.id for r in trail)
    current = review.current_event(store, event.id).fact
    assert (current.arrests, current.date, current.date_precision) == (4, "2024-03-04", "day")
    assert review.history(store, "seizure", facts.events[1].id) == []


def test_item_fields_and_rejected_values(store: Store, facts: Facts, editor: review.User) -> None:
    event = facts.events[0]
    review.review(store, editor, "seizure", event.id, "items.1.count", "correct", "31,000")
    review.review(store, editor, "seizure", event.id, "place", "reject")
    review.review(store, editor, "seizure", event.id, "country", "correct", "Laos")
    current = review.current_event(store, event.id)
    assert current.fact.items[1].count == 31000.0 and current.fact.items[0] == event.items[0]
    assert current.fact.place is None and current.fact.country == "LA"
    assert current.latest["place"].before == event.place


@pytest.mark.parametrize(("field", "action", "value", "reason"), [
    ("arrests", "correct", "many", "invalid-value"),
    ("arrests", "correct", -1, "invalid-value"),
    ("items.0.mass_kg", "correct", "nan", "invalid-value"),
    ("date", "correct", "2024-13", "invalid-value"),
    ("country", "correct", "Atlantis", "invalid-value"),
    ("items.7.mass_kg", "correct", "1", "unknown-field"),
    ("password", "correct", "x", "unknown-field"),
    ("arrests", "delete", None, "unknown-action"),
    ("fact", "correct", "x", "invalid-action"),
])
def test_invalid_reviews_are_rejected_and_leave_no_revision(store: Store, facts: Facts, editor: review.User,
                                                            field: str, action: str, value: object,
                                                            reason: str) -> None:
    with pytest.raises(Rejected) as caught:
        review.review(store, editor, "seizure", facts.events[0].id, field, action, value)
    assert caught.value.reason == reason and caught.value.stage == "review"
    assert review.history(store, "seizure", facts.events[0].id) == []


def test_viewers_and_unknown_facts_are_refused(store: Store, facts: Facts) -> None:
    viewer = review.add_user(store, "vi", "viewer", PASSWORD)
    with pytest.raises(review.NotAllowed, match="only editors"):
        review.review(store, viewer, "seizure", facts.events[0].id, "arrests", "confirm")
    editor = review.add_user(store, "ed", "editor", PASSWORD)
    with pytest.raises(review.NoSuchFact):
        review.review(store, editor, "seizure", "no-such-event", "arrests", "confirm")


def test_rejecting_an_event_hides_it_until_it_is_confirmed(store: Store, facts: Facts,
                                                           editor: review.User) -> None:
    rejected = facts.events[0]
    assert review.count_visible_events(store) == 2
    review.review(store, editor, "seizure", rejected.id, "fact", "reject", note="duplicate report")
    visible = review.visible_events(store)
    assert [row.row.event.id for row in visible] == [facts.events[1].id]
    assert review.count_visible_events(store) == 1
    assert review.count_visible_events(store, EventFilter(country="VN")) == 0
    assert len(store.events()) == 1  # listings hide it everywhere ...
    kept = store.facts(rejected.doc_id)
    assert kept is not None and rejected in kept.events  # ... but it is kept, with the rejection in the trail
    assert review.current_event(store, rejected.id).rejected
    review.review(store, editor, "seizure", rejected.id, "fact", "confirm")
    assert review.count_visible_events(store) == 2
    trail = review.history(store, "seizure", rejected.id)
    assert [(r.before, r.after) for r in trail] == [("extracted", "rejected"), ("rejected", "confirmed")]


def test_visible_events_show_corrected_values(store: Store, facts: Facts, editor: review.User) -> None:
    review.review(store, editor, "seizure", facts.events[1].id, "agency", "correct", "Lao customs")
    rows = {row.row.event.id: row for row in review.visible_events(store)}
    corrected = rows[facts.events[1].id]
    assert corrected.row.event.agency == "Lao customs" and set(corrected.review.corrected) == {"agency"}
    assert rows[facts.events[0].id].row.event == facts.events[0]


def test_aggregates_are_reviewed_the_same_way(store: Store, facts: Facts, editor: review.User) -> None:
    aggregate = facts.aggregates[0]
    review.review(store, editor, "aggregate", aggregate.id, "cases", "correct", "42")
    assert review.current_aggregate(store, aggregate.id).fact.cases == 42
    review.review(store, editor, "aggregate", aggregate.id, "fact", "reject")
    assert review.visible_aggregates(store) == []
    assert [r.field for r in review.history(store, "aggregate", aggregate.id)] == ["cases", "fact"]


def test_an_id_in_two_documents_needs_the_document(store: Store, facts: Facts, editor: review.User,
                                                   make_facts: Callable[..., Facts]) -> None:
    twin: Facts = make_facts(text=facts.document.text + " Updated.")
    assert store.add(twin)
    event_id = facts.events[0].id
    with pytest.raises(review.AmbiguousFact, match="several documents"):
        review.current_event(store, event_id)
    revision = review.review(store, editor, "seizure", event_id, "arrests", "correct", 5,
                             doc_id=facts.document.id)
    assert revision.doc_id == facts.document.id
    assert review.history(store, "seizure", event_id, doc_id=facts.document.id) == [revision]


# ---- migration ----------------------------------------------------------------------------------

def test_migration_0002_upgrade_downgrade_upgrade(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    review_tables = {"users", "sessions", "revisions"}
    try:
        with engine.begin() as conn:
            upgrade_schema(conn, "0002")
            assert current_revision(conn) == "0002"
        assert review_tables <= set(sa.inspect(engine).get_table_names())
        with engine.begin() as conn:
            downgrade_schema(conn, "0001")
            assert current_revision(conn) == "0001"
        names = set(sa.inspect(engine).get_table_names())
        assert not review_tables & names and "events" in names
        with engine.begin() as conn:
            upgrade_schema(conn, "0002")
        assert review_tables <= set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
