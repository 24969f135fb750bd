"""Sign-in, sign-out and the review endpoints: anonymous users read, viewers read, editors change.

Every state-changing request carries a CSRF token: the session's synchronizer token (form field
``csrf_token`` or header ``X-CSRF-Token``), or, for the sign-in form, a random token that must
match a cookie set with the form. Failures leave in the one error shape (401, 403, 404, 409, 422).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from borderwatch.errors import Rejected
from borderwatch.records import aggregate_record, event_record
from borderwatch.review import (
    SESSION_LIFETIME,
    AmbiguousFact,
    NoSuchFact,
    NotAllowed,
    Reviewed,
    Session,
    User,
    authenticate,
    csrf_matches,
    current_aggregate,
    current_event,
    end_session,
    field_names,
    history,
    review,
    review_record,
    session_for,
    start_session,
)
from borderwatch.serve.api import ERROR_RESPONSES, NOT_FOUND, REVIEW_RESPONSES, StoreDep, get_store
from borderwatch.signin import SigninLimits, TooManyAttempts, check_signin, notice_for, record_signin

SESSION_COOKIE = "borderwatch_session"
SIGNIN_COOKIE = "borderwatch_signin_csrf"
CSRF_HEADER = "X-CSRF-Token"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

router = APIRouter(tags=["review"], responses=ERROR_RESPONSES)
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined))


def current_session(request: Request, store: StoreDep) -> Session | None:
    """The signed-in session named by the cookie, if it is live."""
    return session_for(store, request.cookies.get(SESSION_COOKIE))


SessionDep = Annotated[Session | None, Depends(current_session)]


def review_context(request: Request) -> dict[str, Any]:
    """Template variables for pages that show review forms: the user (or None) and the CSRF token."""
    session = session_for(get_store(request), request.cookies.get(SESSION_COOKIE))
    return {"review_user": session.user if session else None,
            "csrf_token": session.csrf_token if session else None,
            "signin_notice": notice_for(get_store(request), session.user.name) if session else None}


# ---- sign-in and sign-out ------------------------------------------------------------------------

@router.get("/signin", response_class=HTMLResponse, include_in_schema=False)
def signin_page(request: Request, session: SessionDep,
                next_url: Annotated[str, Query(alias="next")] = "/") -> HTMLResponse:
    """The sign-in form, with a fresh CSRF token bound to a cookie."""
    return _signin_form(request, session, _safe_next(next_url), None, 200)


@router.post("/signin", include_in_schema=False)
async def signin(request: Request, store: StoreDep) -> Response:
    """Check the name and password, start a session and set its cookie (HttpOnly, SameSite=Strict)."""
    data, is_form = await _body(request)
    if not csrf_matches(request.cookies.get(SIGNIN_COOKIE, ""), _csrf_given(request, data)):
        raise StarletteHTTPException(403, "missing or wrong CSRF token: reload the sign-in form")
    name, password = str(data.get("name", "")).strip(), str(data.get("password", ""))
    next_url = _safe_next(str(data.get("next", "/")))
    client = request.client.host if request.client else "unknown"
    try:
        check_signin(store, client, _signin_limits(request))
        user = authenticate(store, name, password)
    except Rejected as exc:
        if exc.reason == "bad-credentials":
            record_signin(store, client, name, succeeded=False)
        status = 429 if isinstance(exc, TooManyAttempts) else 401
        headers = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, TooManyAttempts) else None
        if is_form:
            return _signin_form(request, None, next_url, exc.message, status, headers)
        raise StarletteHTTPException(status, exc.message, headers=headers) from exc
    record_signin(store, client, user.name, succeeded=True)
    token, session = start_session(store, user)
    response: Response
    if is_form:
        response = RedirectResponse(next_url, status_code=303)
    else:
        response = JSONResponse({"ok": True, "user": _user_json(user), "csrf_token": session.csrf_token,
                                 "notice": notice_for(store, user.name)})
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    response.delete_cookie(SIGNIN_COOKIE, path="/signin")
    return response


@router.post("/signout", include_in_schema=False)
async def signout(request: Request, store: StoreDep, session: SessionDep) -> Response:
    """End the session at once (server side) and clear its cookie."""
    signed_in = _require_session(session)
    data, is_form = await _body(request)
    _check_csrf(signed_in, request, data)
    end_session(store, request.cookies[SESSION_COOKIE])
    response: Response = RedirectResponse("/", status_code=303) if is_form else JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---- review --------------------------------------------------------------------------------------

@router.get("/api/events/{event_id}/history", responses=NOT_FOUND)
def event_history(event_id: str, store: StoreDep, doc_id: str | None = None) -> dict[str, Any]:
    """An event's current values, flagged where reviewed, and its revisions oldest first."""
    with _lookup_errors():
        current = current_event(store, event_id, doc_id)
        trail = history(store, "seizure", event_id, current.fact.doc_id)
    return {"ok": True, "event": _event_json(current), "revisions": [asdict(r) for r in trail]}


@router.get("/api/aggregates/{aggregate_id}/history", responses=NOT_FOUND)
def aggregate_history(aggregate_id: str, store: StoreDep, doc_id: str | None = None) -> dict[str, Any]:
    """An aggregate's current values, flagged where reviewed, and its revisions oldest first."""
    with _lookup_errors():
        current = current_aggregate(store, aggregate_id, doc_id)
        trail = history(store, "aggregate", aggregate_id, current.fact.doc_id)
    return {"ok": True, "aggregate": _aggregate_json(current), "revisions": [asdict(r) for r in trail]}


@router.post("/api/events/{event_id}/review", responses=REVIEW_RESPONSES)
async def review_event(event_id: str, request: Request, store: StoreDep, session: SessionDep) -> Response:
    """Confirm, correct or reject one field of an event (``fact``: the whole event); editors only."""
    return await _review(request, store, session, "seizure", event_id)


@router.post("/api/aggregates/{aggregate_id}/review", responses=REVIEW_RESPONSES)
async def review_aggregate(aggregate_id: str, request: Request, store: StoreDep,
                           session: SessionDep) -> Response:
    """Confirm, correct or reject one field of an aggregate statistic; editors only."""
    return await _review(request, store, session, "aggregate", aggregate_id)


@router.get("/review/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event_review_page(request: Request, event_id: str, store: StoreDep,
                      doc_id: str | None = None) -> HTMLResponse:
    """An event's fields with their current values, review forms for editors, and the trail."""
    with _lookup_errors():
        current = current_event(store, event_id, doc_id)
        trail = history(store, "seizure", event_id, current.fact.doc_id)
    now, then = event_record(current.fact), event_record(current.original)
    fields = [(name, _display(now, name, current.rejected), _display(then, name, False))
              for name in field_names("seizure", len(current.fact.items))]
    context = {"reviewed": current, "fields": fields, "revisions": trail, **review_context(request)}
    return templates.TemplateResponse(request, "review_event.html", context)


async def _review(request: Request, store: StoreDep, session: Session | None, kind: str,
                  fact_id: str) -> Response:
    signed_in = _require_session(session)
    data, is_form = await _body(request)
    _check_csrf(signed_in, request, data)
    user = signed_in.user
    if not user.can_edit:
        raise StarletteHTTPException(403, f"user '{user.name}' is a viewer; only editors may review facts")
    doc_id = str(data["doc_id"]) if data.get("doc_id") else None
    note = data.get("note")
    with _lookup_errors():
        revision = review(store, user, kind, fact_id, str(data.get("field", "")), str(data.get("action", "")),
                          data.get("value"), note=str(note) if note is not None else None, doc_id=doc_id)
    if is_form:
        fallback = f"/documents/{quote(revision.doc_id, safe='/:')}"
        return RedirectResponse(_safe_next(str(data.get("next") or fallback)), status_code=303)
    if kind == "seizure":
        fact = _event_json(current_event(store, fact_id, revision.doc_id))
    else:
        fact = _aggregate_json(current_aggregate(store, fact_id, revision.doc_id))
    return JSONResponse({"ok": True, "revision": asdict(revision), kind: fact})


# ---- helpers -------------------------------------------------------------------------------------

def _require_session(session: Session | None) -> Session:
    """Anonymous users read only: any state-changing request without a session is a 401."""
    if session is None:
        raise StarletteHTTPException(401, "not signed in: sign in at /signin")
    return session


def _check_csrf(session: Session, request: Request, data: dict[str, Any]) -> None:
    """403 unless the request echoes the session's CSRF token."""
    if not csrf_matches(session.csrf_token, _csrf_given(request, data)):
        raise StarletteHTTPException(403, f"missing or wrong CSRF token (send the form's csrf_token "
                                          f"or the {CSRF_HEADER} header)")


def _csrf_given(request: Request, data: dict[str, Any]) -> str | None:
    given = request.headers.get(CSRF_HEADER) or data.get("csrf_token")
    return str(given) if given else None


async def _body(request: Request) -> tuple[dict[str, Any], bool]:
    """The request's fields and whether it came from an HTML form (JSON otherwise)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type and not await request.body():
        return {}, False  # e.g. a sign-out sending only the X-CSRF-Token header
    if content_type in _FORM_TYPES:
        form = await request.form()
        return {key: value for key, value in form.items() if isinstance(value, str)}, True
    if content_type == "application/json":
        try:
            data = await request.json()
        except ValueError as exc:
            raise StarletteHTTPException(400, "request body is not valid JSON") from exc
        if not isinstance(data, dict):
            raise StarletteHTTPException(422, "request body must be a JSON object")
        return data, False
    raise StarletteHTTPException(415, f"unsupported content type '{content_type or 'none'}' (expected: "
                                      f"application/json, {', '.join(_FORM_TYPES)})")


@contextmanager
def _lookup_errors() -> Iterator[None]:
    """Missing and ambiguous facts, and role refusals, as HTTP statuses in the one error shape."""
    try:
        yield
    except NoSuchFact as exc:
        raise StarletteHTTPException(404, str(exc)) from exc
    except AmbiguousFact as exc:
        raise StarletteHTTPException(409, str(exc)) from exc
    except NotAllowed as exc:
        raise StarletteHTTPException(403, str(exc)) from exc


def _signin_form(request: Request, session: Session | None, next_url: str, error: str | None,
                 status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    context = {"csrf_token": token, "next": next_url, "error": error,
               "review_user": session.user if session else None,
               "session_csrf": session.csrf_token if session else None,
               "signin_notice": notice_for(get_store(request), session.user.name) if session else None}
    response = templates.TemplateResponse(request, "signin.html", context, status_code=status, headers=headers)
    response.set_cookie(SIGNIN_COOKIE, token, max_age=3600, path="/signin", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


def _signin_limits(request: Request) -> SigninLimits:
    """The app's sign-in limits (set by ``create_app``); the attempts they count are in the database."""
    limits: SigninLimits = request.app.state.signin_limits
    return limits


def _safe_next(url: str) -> str:
    """A local path to go back to; anything else (another site, a scheme) becomes "/"."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url and "\n" not in url:
        return url
    return "/"


def _user_json(user: User) -> dict[str, Any]:
    return {"name": user.name, "role": user.role}


def _event_json(current: Reviewed[Any]) -> dict[str, Any]:
    out = event_record(current.fact)
    out["review"] = review_record(current)
    return out


def _aggregate_json(current: Reviewed[Any]) -> dict[str, Any]:
    out = aggregate_record(current.fact)
    out["review"] = review_record(current)
    return out


def _display(record: dict[str, Any], name: str, rejected: bool) -> Any:
    if name == "fact":
        return "rejected" if rejected else "shown"
    if name.startswith("items."):
        _, index, key = name.split(".")
        return record["items"][int(index)][key]
    return record[name]
