"""Editorial review: users with roles, sign-in sessions, and corrections kept as an audit trail.

Extracted rows are never modified. Every confirm, correct or reject is a new ``revisions`` row
with who, when, the value before and the value after; a field's current value is its latest
revision's ``after``, else the original extraction. Rejecting the whole fact (field ``fact``)
hides it from default listings; confirming it again restores it, and both stay in the trail.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Literal, TypeVar

import pycountry
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.exc import IntegrityError

from borderwatch.dates import parse_date
from borderwatch.errors import BorderwatchError, InputError, Rejected
from borderwatch.geo.countries import country_code
from borderwatch.model import MIN_PASSWORD_LENGTH, ROLES, Aggregate, Item, Role, SeizureEvent
from borderwatch.store import tables as t
from borderwatch.store.filters import WHOLE_FACT
from borderwatch.store.repo import (
    EventFilter,
    EventRow,
    Store,
    sentence_span,
)

Action = Literal["confirm", "correct", "reject"]
ReviewKind = Literal["seizure", "aggregate"]
ACTIONS: tuple[Action, ...] = ("confirm", "correct", "reject")
KINDS: tuple[ReviewKind, ...] = ("seizure", "aggregate")

SESSION_LIFETIME = timedelta(hours=12)
STAGE = "review"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_ITEM_FIELD = re.compile(r"items\.(\d+)\.([a-z_0-9]+)")
_PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
_hasher = PasswordHasher()
_NO_FILTER = EventFilter()

FactT = TypeVar("FactT", SeizureEvent, Aggregate)


class NoSuchFact(InputError):
    """The fact to review or show does not exist."""


class AmbiguousFact(InputError):
    """Several documents hold a fact with this id; the caller must name the document."""


class NotAllowed(BorderwatchError):
    """The signed-in user's role does not permit this action."""


@dataclass(frozen=True)
class User:
    """A person who may sign in; only editors change anything."""

    id: int
    name: str
    role: Role
    created: str

    @property
    def can_edit(self) -> bool:
        """Editors confirm, correct and reject; viewers only read."""
        return self.role == "editor"


@dataclass(frozen=True)
class Session:
    """A signed-in browser: its user and the CSRF token every state-changing request must echo."""

    user: User
    csrf_token: str
    expires: str


@dataclass(frozen=True)
class Revision:
    """One review action on one field of one fact: the audit trail's unit."""

    id: int
    fact_kind: str
    fact_id: str
    doc_id: str
    field: str
    action: Action
    before: Any
    after: Any
    who: str
    at: str
    note: str | None


@dataclass(frozen=True)
class Reviewed(Generic[FactT]):
    """A fact with its latest revisions applied, beside the original extraction."""

    fact: FactT
    original: FactT
    latest: dict[str, Revision]
    rejected: bool

    @property
    def corrected(self) -> dict[str, Revision]:
        """Fields whose current value differs from the extraction (corrected or rejected)."""
        return {name: rev for name, rev in self.latest.items()
                if name != WHOLE_FACT and rev.action != "confirm"}


@dataclass(frozen=True)
class ReviewedRow:
    """A listing row whose event shows current values, with the review that produced them."""

    row: EventRow
    review: Reviewed[SeizureEvent]


# ---- values an editor may set ----------------------------------------------------------------

def _text(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > 500:
        raise ValueError("expected text of 1 to 500 characters")
    return text


def _whole(value: Any) -> int:
    # JSON true/false go through str() and fail to parse, like any other non-number.
    number = value if type(value) is int else int(str(value).strip().replace(",", ""))
    if number < 0:
        raise ValueError("expected a whole number of 0 or more")
    return number


def _amount(value: Any) -> float:
    number = float(value) if type(value) in (int, float) else float(str(value).strip().replace(",", ""))
    if not math.isfinite(number) or number < 0:
        raise ValueError("expected a number of 0 or more")
    return number


def _country(value: Any) -> str:
    text = _text(value)
    code = country_code(text)
    if code is None and len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()) is not None:
        code = text.upper()
    if code is None:
        raise ValueError("expected an ISO 3166 alpha-2 code such as KH, LA, TH, VN, MM, CN, or a country name")
    return code


def _iso_date(value: Any) -> str:
    text = _text(value)
    coarse = re.fullmatch(r"(\d{4})(?:-(\d\d))?", text)
    if coarse and 1 <= int(coarse.group(2) or 1) <= 12:
        return text
    parsed = parse_date(text)
    if parsed is None or parsed.start != 0 or parsed.end != len(text):
        raise ValueError("expected a date: YYYY, YYYY-MM, YYYY-MM-DD or e.g. 9 November 2024")
    return parsed.iso


def _commodity(value: Any) -> str:
    text = _text(value).lower()
    if text not in ("drugs", "timber", "wildlife", "other"):
        raise ValueError("expected one of drugs, timber, wildlife, other")
    return text


_Parser = Callable[[Any], Any]
_COMMON: dict[str, _Parser] = {"country": _country, "admin1": _text, "agency": _text, "arrests": _whole}
FACT_FIELDS: dict[str, dict[str, _Parser]] = {
    "seizure": {**_COMMON, "date": _iso_date, "place": _text, "origin_country": _country,
                "destination_country": _country, "concealment": _text},
    "aggregate": {**_COMMON, "period_start": _iso_date, "period_end": _iso_date, "cases": _whole},
}
ITEM_FIELDS: dict[str, _Parser] = {"commodity": _commodity, "substance": _text, "form": _text,
                                   "mass_kg": _amount, "count": _amount, "volume_m3": _amount}


def field_names(kind: ReviewKind, items: int) -> list[str]:
    """Every field of a fact with ``items`` items an editor may review, ``fact`` first."""
    item_fields = [f"items.{i}.{name}" for i in range(items) for name in ITEM_FIELDS]
    return [WHOLE_FACT, *FACT_FIELDS[kind], *item_fields]


def _parser(kind: ReviewKind, fact: SeizureEvent | Aggregate, field: str, source: str) -> _Parser:
    if field in FACT_FIELDS[kind]:
        return FACT_FIELDS[kind][field]
    match = _ITEM_FIELD.fullmatch(field)
    if match and match.group(2) in ITEM_FIELDS and int(match.group(1)) < len(fact.items):
        return ITEM_FIELDS[match.group(2)]
    choices = ", ".join(field_names(kind, len(fact.items)))
    raise Rejected("unknown-field", STAGE, source, f"cannot review field '{field}' (expected: {choices})")


def _value_of(fact: SeizureEvent | Aggregate, field: str) -> Any:
    match = _ITEM_FIELD.fullmatch(field)
    if match:
        return getattr(fact.items[int(match.group(1))], match.group(2))
    return getattr(fact, field)


# ---- users and passwords -----------------------------------------------------------------------

def hash_password(password: str) -> str:
    """An argon2id hash (salted, parameters inside), the only form a password is ever stored in."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Does ``password`` match ``password_hash``? Malformed hashes never match."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """Create a user; Rejected for a bad or taken name, an unknown role or a short password."""
    source = f"user {name!r}"
    if not _NAME.fullmatch(name):
        raise Rejected("invalid-name", STAGE, source, "user names are 1-64 letters, digits or . _ @ -, "
                       "starting with a letter or digit")
    _role(role, source)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Rejected("weak-password", STAGE, source,
                       f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    created = _now()
    try:
        with _engine(store).begin() as conn:
            user_id = conn.execute(sa.insert(t.users).values(
                name=name, role=role, password_hash=hash_password(password), created=created)
                .returning(t.users.c.id)).scalar_one()
    except IntegrityError as exc:
        raise Rejected("user-exists", STAGE, source, f"a user named '{name}' already exists") from exc
    return User(id=int(user_id), name=name, role=_role(role, source), created=created)


def authenticate(store: Store, name: str, password: str) -> User:
    """The user with this name and password; Rejected("bad-credentials") for anything else."""
    with _engine(store).connect() as conn:
        row = conn.execute(sa.select(t.users).where(t.users.c.name == name)).first()
    # Unknown names still cost one hash, so timing does not reveal which names exist.
    if row is None:
        verify_password(_DUMMY_HASH, password)
    if row is None or not verify_password(row.password_hash, password):
        raise Rejected("bad-credentials", STAGE, f"user {name!r}", "wrong user name or password")
    if _hasher.check_needs_rehash(row.password_hash):
        with _engine(store).begin() as conn:
            conn.execute(sa.update(t.users).where(t.users.c.id == row.id)
                         .values(password_hash=hash_password(password)))
    return _user(row)


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


# ---- sessions -------------------------------------------------------------------------------------

def start_session(store: Store, user: User) -> tuple[str, Session]:
    """A new session: the cookie token (returned once, stored only hashed) and its CSRF token."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session = Session(user=user, csrf_token=secrets.token_urlsafe(32), expires=_iso(now + SESSION_LIFETIME))
    with _engine(store).begin() as conn:
        conn.execute(sa.delete(t.sessions).where(t.sessions.c.expires <= _iso(now)))
        conn.execute(sa.insert(t.sessions).values(
            token_hash=_token_hash(token), user_id=user.id, csrf_token=session.csrf_token,
            created=_iso(now), expires=session.expires))
    return token, session


def session_for(store: Store, token: str | None) -> Session | None:
    """The live session a cookie token names; None when absent, unknown or expired."""
    if not token:
        return None
    query = (sa.select(t.sessions.c.csrf_token, t.sessions.c.expires, t.users)
             .join(t.users, t.users.c.id == t.sessions.c.user_id)
             .where(t.sessions.c.token_hash == _token_hash(token), t.sessions.c.expires > _now()))
    with _engine(store).connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return Session(user=_user(row), csrf_token=row.csrf_token, expires=row.expires)


def end_session(store: Store, token: str) -> None:
    """Sign out: the token stops working at once."""
    with _engine(store).begin() as conn:
        conn.execute(sa.delete(t.sessions).where(t.sessions.c.token_hash == _token_hash(token)))


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a submitted CSRF token with the session's."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


# ---- review actions -------------------------------------------------------------------------------

def review(store: Store, user: User, kind: str, fact_id: str, field: str, action: str,
           value: Any = None, note: str | None = None, doc_id: str | None = None) -> Revision:
    """Record one confirm/correct/reject of a fact's field (``fact``: the whole fact) as a new revision."""
    source = f"{kind} {fact_id}"
    if not user.can_edit:
        raise NotAllowed(f"user '{user.name}' is a {user.role}; only editors may review facts")
    checked = _kind(kind, source)
    checked_action = _action(action, source)
    original = _load_fact(store, checked, fact_id, doc_id)
    if field == WHOLE_FACT and checked_action == "correct":
        raise Rejected("invalid-action", STAGE, source, "a whole fact can be confirmed or rejected, "
                       "not corrected: correct one of its fields")
    corrected: Any = None
    if field != WHOLE_FACT:
        parse = _parser(checked, original, field, source)
        try:
            corrected = parse(value) if checked_action == "correct" else None
        except ValueError as exc:
            raise Rejected("invalid-value", STAGE, source, f"invalid {field} {value!r}: {exc}") from exc
    note = (note or "").strip() or None
    with _engine(store).begin() as conn:
        previous = _latest(conn, checked, original.doc_id, [original.id]).get(original.id, {}).get(field)
        before: Any
        after: Any
        if field == WHOLE_FACT:
            before = previous.after if previous else "extracted"
            after = "rejected" if checked_action == "reject" else "confirmed"
        else:
            before = previous.after if previous else _value_of(original, field)
            after = {"confirm": before, "correct": corrected, "reject": None}[checked_action]
        at = _now()
        revision_id = conn.execute(sa.insert(t.revisions).values(
            fact_kind=checked, fact_id=original.id, doc_id=original.doc_id, field=field, action=checked_action,
            before=before, after=after, who=user.name, at=at, note=note).returning(t.revisions.c.id)).scalar_one()
    return Revision(id=int(revision_id), fact_kind=checked, fact_id=original.id, doc_id=original.doc_id,
                    field=field, action=checked_action, before=before, after=after, who=user.name, at=at,
                    note=note)


def history(store: Store, fact_kind: str, fact_id: str, doc_id: str | None = None) -> list[Revision]:
    """Every revision of a fact, oldest first."""
    doc_id = doc_id or _load_fact(store, _kind(fact_kind, f"{fact_kind} {fact_id}"), fact_id, None).doc_id
    r = t.revisions.c
    query = (sa.select(t.revisions).where(r.fact_kind == fact_kind, r.fact_id == fact_id, r.doc_id == doc_id)
             .order_by(r.id))
    with _engine(store).connect() as conn:
        return [_revision(row) for row in conn.execute(query)]


def current_event(store: Store, event_id: str, doc_id: str | None = None) -> Reviewed[SeizureEvent]:
    """An event as reviewed: latest revisions over the extraction, flagged per field."""
    event = _load_fact(store, "seizure", event_id, doc_id)
    assert isinstance(event, SeizureEvent)
    return overlay_events(store, [event])[0]


def current_aggregate(store: Store, aggregate_id: str, doc_id: str | None = None) -> Reviewed[Aggregate]:
    """An aggregate statistic as reviewed: latest revisions over the extraction."""
    aggregate = _load_fact(store, "aggregate", aggregate_id, doc_id)
    assert isinstance(aggregate, Aggregate)
    return _overlay_all(store, "aggregate", [aggregate])[0]


def overlay_events(store: Store, events: Sequence[SeizureEvent]) -> list[Reviewed[SeizureEvent]]:
    """Events of any documents as reviewed, in the order given (one query per document)."""
    return _overlay_all(store, "seizure", events)


def overlay_aggregates(store: Store, aggregates: Sequence[Aggregate]) -> list[Reviewed[Aggregate]]:
    """Aggregates as reviewed, in the order given."""
    return _overlay_all(store, "aggregate", aggregates)


def visible_events(store: Store, flt: EventFilter = _NO_FILTER, limit: int = 100,
                   offset: int = 0) -> list[ReviewedRow]:
    """``Store.events`` (which leaves rejected events out), each showing its current (reviewed) values."""
    rows = store.events(flt, limit, offset)
    out = []
    for row, review_of in zip(rows, overlay_events(store, [r.event for r in rows]), strict=True):
        sentence = sentence_span(review_of.fact.evidence)
        out.append(ReviewedRow(row=replace(row, event=review_of.fact, sentence=sentence.text if sentence else None),
                               review=review_of))
    return out


def count_visible_events(store: Store, flt: EventFilter = _NO_FILTER) -> int:
    """How many events ``visible_events`` pages through."""
    return store.count_events(flt)


def visible_aggregates(store: Store, flt: EventFilter = _NO_FILTER) -> list[Reviewed[Aggregate]]:
    """``Store.aggregates`` without rejected ones, each showing its current (reviewed) values."""
    return [reviewed for reviewed in overlay_aggregates(store, store.aggregates(flt)) if not reviewed.rejected]


def review_record(reviewed: Reviewed[Any]) -> dict[str, Any]:
    """The review flags an API adds beside a fact: rejected, and each corrected field's original."""
    return {
        "rejected": reviewed.rejected,
        "confirmed": sorted(name for name, rev in reviewed.latest.items() if rev.action == "confirm"),
        "corrected": {name: {"action": rev.action, "original": _value_of(reviewed.original, name)
                             if name != WHOLE_FACT else None, "value": rev.after, "who": rev.who, "at": rev.at}
                      for name, rev in reviewed.corrected.items()},
    }


# ---- helpers -------------------------------------------------------------------------------------

def _engine(store: Store) -> sa.Engine:
    """Review shares the Store's engine (its pool and SQLite pragmas)."""
    return store.engine


def _now() -> str:
    return _iso(datetime.now(UTC))


def _iso(moment: datetime) -> str:
    # One fixed format, so timestamps compare correctly as text on both backends.
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: Any) -> User:
    return User(id=row.id, name=row.name, role=row.role, created=row.created)


def _revision(row: Any) -> Revision:
    return Revision(id=row.id, fact_kind=row.fact_kind, fact_id=row.fact_id, doc_id=row.doc_id,
                    field=row.field, action=row.action, before=row.before, after=row.after, who=row.who,
                    at=row.at, note=row.note)


def _kind(kind: str, source: str) -> ReviewKind:
    for known in KINDS:
        if kind == known:
            return known
    raise Rejected("unknown-kind", STAGE, source, f"unknown fact kind '{kind}' (expected: {', '.join(KINDS)})")


def _action(action: str, source: str) -> Action:
    for known in ACTIONS:
        if action == known:
            return known
    raise Rejected("unknown-action", STAGE, source, f"unknown action '{action}' (expected: {', '.join(ACTIONS)})")


def _role(role: str, source: str) -> Role:
    for known in ROLES:
        if role == known:
            return known
    raise Rejected("invalid-role", STAGE, source, f"unknown role '{role}' (expected: {', '.join(ROLES)})")


def _load_fact(store: Store, kind: ReviewKind, fact_id: str, doc_id: str | None) -> SeizureEvent | Aggregate:
    table = t.events if kind == "seizure" else t.aggregates
    query = sa.select(table.c.doc_id).where(table.c.id == fact_id).order_by(table.c.doc_id)
    if doc_id is not None:
        query = query.where(table.c.doc_id == doc_id)
    with _engine(store).connect() as conn:
        doc_ids = list(conn.execute(query).scalars())
    label = "event" if kind == "seizure" else "aggregate"
    if not doc_ids:
        where = f" in document '{doc_id}'" if doc_id else ""
        raise NoSuchFact(f"no {label} '{fact_id}'{where}")
    if len(doc_ids) > 1:
        raise AmbiguousFact(f"{label} id '{fact_id}' occurs in several documents; name one with "
                            f"doc_id (expected: {', '.join(doc_ids)})")
    facts = store.facts(doc_ids[0])
    if facts is None:
        raise NoSuchFact(f"no {label} '{fact_id}': its document was deleted")
    found: list[SeizureEvent | Aggregate] = [*(facts.events if kind == "seizure" else facts.aggregates)]
    return next(fact for fact in found if fact.id == fact_id)


def _latest(conn: sa.Connection, kind: str, doc_id: str, fact_ids: Sequence[str]) -> dict[str, dict[str, Revision]]:
    """The newest revision of each field of each named fact of one document."""
    r = t.revisions.c
    query = (sa.select(t.revisions).where(r.fact_kind == kind, r.doc_id == doc_id, r.fact_id.in_(fact_ids))
             .order_by(r.id))
    out: dict[str, dict[str, Revision]] = defaultdict(dict)
    for row in conn.execute(query):
        out[row.fact_id][row.field] = _revision(row)
    return out


def _overlay_all(store: Store, kind: str, facts: Sequence[FactT]) -> list[Reviewed[FactT]]:
    by_doc: dict[str, list[str]] = defaultdict(list)
    for fact in facts:
        by_doc[fact.doc_id].append(fact.id)
    with _engine(store).connect() as conn:
        latest = {doc_id: _latest(conn, kind, doc_id, ids) for doc_id, ids in by_doc.items()}
    return [_overlay(fact, latest[fact.doc_id].get(fact.id, {})) for fact in facts]


def _overlay(original: FactT, latest: dict[str, Revision]) -> Reviewed[FactT]:
    changes: dict[str, Any] = {}
    items: list[Item] = list(original.items)
    own = {f.name for f in fields(original)}
    for name, rev in latest.items():
        match = _ITEM_FIELD.fullmatch(name)
        if match and int(match.group(1)) < len(items):
            index = int(match.group(1))
            items[index] = replace(items[index], **{match.group(2): rev.after})
        elif name in own:
            changes[name] = rev.after
    if "date" in changes:
        changes["date_precision"] = _PRECISION_BY_LENGTH.get(len(changes["date"] or ""))
    fact = replace(original, items=tuple(items), **changes)
    rejected = latest[WHOLE_FACT].action == "reject" if WHOLE_FACT in latest else False
    return Reviewed(fact=fact, original=original, latest=latest, rejected=rejected)


