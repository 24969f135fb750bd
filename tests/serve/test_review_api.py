"""Sign-in, sessions, CSRF and review endpoints over a real app and database (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from borderwatch import review
from borderwatch.config import Settings
from borderwatch.model import Facts
from borderwatch.serve import create_app
from borderwatch.signin import SigninLimits
from borderwatch.store import Store

PASSWORD = "correct horse battery"
XSS = "<script>alert(1)</script>"


@pytest.fixture
def site(db_url: str, make_facts: Callable[..., Facts]) -> Iterator[tuple[Store, Facts]]:
    """A database holding the conftest report, an editor ``ed`` and a viewer ``vi``."""
    facts: Facts = make_facts()
    with Store.open(db_url) as store:
        assert store.add(facts)
        review.add_user(store, "ed", "editor", PASSWORD)
        review.add_user(store, "vi", "viewer", PASSWORD)
        yield store, facts


def _client(db_url: str, https: bool = False) -> TestClient:
    base = "https://testserver" if https else "http://testserver"
    return TestClient(create_app(Settings(db=db_url)), base_url=base, follow_redirects=False)


@pytest.fixture
def client(db_url: str, site: tuple[Store, Facts]) -> Iterator[TestClient]:
    """The app over ``site``."""
    with _client(db_url) as test_client:
        yield test_client


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def _signin(client: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get("/signin")
    return client.post("/signin", data={"name": name, "password": password, "next": "/",
                                         "csrf_token": _form_token(page.text)})


def _session_csrf(client: TestClient, name: str) -> str:
    """Sign in through the JSON flow and return the session's CSRF token."""
    page = client.get("/signin")
    response = client.post("/signin", json={"name": name, "password": PASSWORD},
                           headers={"X-CSRF-Token": _form_token(page.text)})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def _assert_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "error", "status"} and body["ok"] is False and body["status"] == status
    assert body["error"]
    return body


def _review_url(facts: Facts) -> str:
    return f"/api/events/{facts.events[0].id}/review"


# ---- sign-in -------------------------------------------------------------------------------------

def test_signin_form_carries_a_csrf_token_bound_to_a_cookie(client: TestClient) -> None:
    page = client.get("/signin")
    assert page.status_code == 200
    token = _form_token(page.text)
    assert len(token) >= 43
    cookie = page.headers["set-cookie"]
    assert f"borderwatch_signin_csrf={token}" in cookie and "HttpOnly" in cookie
    assert client.get("/signin").text != page.text  # a fresh token per form


def test_signin_sets_an_httponly_samesite_session_cookie(client: TestClient) -> None:
    response = _signin(client, "ed")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("borderwatch_session="))
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Secure" not in cookie
    assert PASSWORD not in cookie
    assert "Signed in as" in client.get("/signin").text


def test_session_cookie_is_secure_over_https(db_url: str, site: tuple[Store, Facts]) -> None:
    with _client(db_url, https=True) as client:
        response = _signin(client, "ed")
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("borderwatch_session="))
    assert "Secure" in cookie


def test_signin_without_or_with_a_wrong_csrf_token_is_forbidden(client: TestClient) -> None:
    client.get("/signin")
    _assert_error(client.post("/signin", data={"name": "ed", "password": PASSWORD}), 403)
    _assert_error(client.post("/signin", data={"name": "ed", "password": PASSWORD, "csrf_token": "forged"}), 403)
    assert "borderwatch_session" not in client.cookies


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client: TestClient) -> None:
    form = _signin(client, "ed", "not the password")
    assert form.status_code == 401 and "wrong user name or password" in form.text
    page = client.get("/signin")
    unknown = client.post("/signin", json={"name": "nobody", "password": PASSWORD},
                          headers={"X-CSRF-Token": _form_token(page.text)})
    assert _assert_error(unknown, 401)["error"] == "wrong user name or password"
    assert "borderwatch_session" not in client.cookies


def _client_from(db_url: str, address: str, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(db=db_url, **settings)), follow_redirects=False, client=(address, 40000))


def _json_signin(client: TestClient, name: str, password: str) -> httpx.Response:
    page = client.get("/signin")
    return client.post("/signin", json={"name": name, "password": password},
                       headers={"X-CSRF-Token": _form_token(page.text)})


def test_spraying_names_from_one_address_is_limited(db_url: str, site: tuple[Store, Facts]) -> None:
    with _client_from(db_url, "203.0.113.9") as attacker:
        statuses = [_json_signin(attacker, f"user{i}", "guess guess guess").status_code for i in range(200)]
        refused = _json_signin(attacker, "ed", PASSWORD)  # even the right password waits
    # The back-off doubles per failure: a slow machine lets a few more through as waits run out.
    assert SigninLimits().free_failures <= statuses.count(401) <= 10
    assert statuses.count(429) >= 190
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert _assert_error(refused, 429)["error"].startswith("too many failed sign-ins from this address")


def test_the_form_shows_the_refusal_with_retry_after(db_url: str, site: tuple[Store, Facts]) -> None:
    with _client_from(db_url, "203.0.113.10") as attacker:
        for _ in range(SigninLimits().free_failures):
            assert _signin(attacker, "vi", "guess guess guess").status_code == 401
        form = _signin(attacker, "vi")
    assert form.status_code == 429 and "too many failed sign-ins" in form.text
    assert int(form.headers["retry-after"]) >= 1


def test_two_app_instances_on_one_database_share_the_limit(db_url: str, site: tuple[Store, Facts]) -> None:
    # A cap of 3 failures per address: what the first instance counted, the second refuses.
    with (_client_from(db_url, "203.0.113.11", signin_client_limit=3) as first,
          _client_from(db_url, "203.0.113.11", signin_client_limit=3) as second):
        failures = 0
        while failures < 3:
            status = _json_signin(first, f"name{failures}", "guess guess guess").status_code
            failures += status == 401
            if status == 429:
                time.sleep(0.5)  # the back-off, not the cap: wait it out
        refused = _json_signin(second, "ed", PASSWORD)
    assert refused.status_code == 429 and "from this address; try again later" in refused.json()["error"]


def test_an_attackers_failures_do_not_lock_the_editor_out(db_url: str, site: tuple[Store, Facts]) -> None:
    with _client_from(db_url, "203.0.113.12") as attacker:
        statuses = [_json_signin(attacker, "ed", "guess guess guess").status_code for _ in range(30)]
    assert 429 in statuses
    with _client_from(db_url, "198.51.100.7") as editor:
        response = _json_signin(editor, "ed", PASSWORD)
        assert response.status_code == 200, response.text
        notice = response.json()["notice"]
        assert notice and notice.startswith(f"{statuses.count(401)} failed sign-ins with your name from 1 address")
        assert notice in editor.get("/").text  # and the pages show it to the editor
    with _client_from(db_url, "198.51.100.7") as editor:
        again = _json_signin(editor, "ed", PASSWORD)
        assert again.status_code == 200 and again.json()["notice"] is None  # nothing new since


def test_the_global_limit_covers_every_address(db_url: str, site: tuple[Store, Facts]) -> None:
    for number in range(4):
        with _client_from(db_url, f"192.0.2.{number}", signin_global_limit=4) as spread:
            assert _json_signin(spread, "ed", "guess guess guess").status_code == 401
    with _client_from(db_url, "192.0.2.200", signin_global_limit=4) as anyone:
        refused = _json_signin(anyone, "ed", PASSWORD)
    assert refused.status_code == 429 and "on this site" in refused.json()["error"]
    assert 1 <= int(refused.headers["retry-after"]) <= SigninLimits().window_s


# ---- who may change what --------------------------------------------------------------------------

def test_anonymous_posts_are_unauthorised(client: TestClient, site: tuple[Store, Facts]) -> None:
    _, facts = site
    body = {"field": "arrests", "action": "correct", "value": 3}
    _assert_error(client.post(_review_url(facts), json=body), 401)
    _assert_error(client.post(f"/api/aggregates/{facts.aggregates[0].id}/review", json=body), 401)
    _assert_error(client.post("/signout", data={}), 401)


def test_missing_or_mismatched_csrf_is_forbidden(client: TestClient, site: tuple[Store, Facts]) -> None:
    store, facts = site
    token = _session_csrf(client, "ed")
    body = {"field": "arrests", "action": "correct", "value": 3}
    _assert_error(client.post(_review_url(facts), json=body), 403)
    _assert_error(client.post(_review_url(facts), json=body, headers={"X-CSRF-Token": token[:-1] + "x"}), 403)
    _assert_error(client.post(_review_url(facts), data={**body, "csrf_token": "forged"}), 403)
    assert review.history(store, "seizure", facts.events[0].id) == []


def test_viewers_cannot_review(client: TestClient, site: tuple[Store, Facts]) -> None:
    store, facts = site
    token = _session_csrf(client, "vi")
    response = client.post(_review_url(facts), json={"field": "arrests", "action": "confirm"},
                           headers={"X-CSRF-Token": token})
    assert "viewer" in _assert_error(response, 403)["error"]
    assert review.history(store, "seizure", facts.events[0].id) == []


# ---- reviewing ---------------------------------------------------------------------------------

def test_editor_correction_is_a_revision_and_the_original_stays(client: TestClient,
                                                                 site: tuple[Store, Facts]) -> None:
    store, facts = site
    event = facts.events[0]
    token = _session_csrf(client, "ed")
    response = client.post(_review_url(facts), headers={"X-CSRF-Token": token}, json={
        "field": "items.0.mass_kg", "action": "correct", "value": "12.25", "note": "typo in the report"})
    assert response.status_code == 200, response.text
    body = response.json()
    revision = body["revision"]
    assert (revision["before"], revision["after"], revision["who"]) == (12.5, 12.25, "ed")
    assert revision["at"] and revision["note"] == "typo in the report"
    assert body["seizure"]["items"][0]["mass_kg"] == 12.25
    assert body["seizure"]["review"]["corrected"]["items.0.mass_kg"]["original"] == 12.5
    stored = store.facts(event.doc_id)
    assert stored is not None and stored.events[0] == event


def test_history_is_public_and_in_order(client: TestClient, site: tuple[Store, Facts]) -> None:
    _, facts = site
    event = facts.events[0]
    token = _session_csrf(client, "ed")
    for field, action, value in (("arrests", "correct", 3), ("arrests", "confirm", None),
                                 ("agency", "reject", None)):
        client.post(_review_url(facts), headers={"X-CSRF-Token": token},
                    json={"field": field, "action": action, "value": value})
    client.cookies.clear()
    response = client.get(f"/api/events/{event.id}/history")
    assert response.status_code == 200
    body = response.json()
    assert [(r["field"], r["action"], r["before"], r["after"]) for r in body["revisions"]] == [
        ("arrests", "correct", event.arrests, 3), ("arrests", "confirm", 3, 3),
        ("agency", "reject", event.agency, None)]
    assert body["event"]["arrests"] == 3 and body["event"]["agency"] is None
    assert body["event"]["review"]["confirmed"] == ["arrests"]
    assert set(body["event"]["review"]["corrected"]) == {"agency"}


def test_html_form_review_redirects_back_and_rejects_hide_the_event(client: TestClient,
                                                                   site: tuple[Store, Facts]) -> None:
    store, facts = site
    event = facts.events[0]
    _signin(client, "ed")
    page = client.get(f"/review/events/{event.id}")
    assert page.status_code == 200 and 'value="reject"' in page.text
    form = {"csrf_token": _form_token(page.text), "doc_id": event.doc_id, "field": "fact", "action": "reject",
            "note": "not a seizure", "next": f"/review/events/{event.id}"}
    response = client.post(_review_url(facts), data=form)
    assert response.status_code == 303 and response.headers["location"] == f"/review/events/{event.id}"
    assert review.current_event(store, event.id).rejected
    assert event.id not in {row.row.event.id for row in review.visible_events(store)}
    assert "not a seizure" in client.get(f"/review/events/{event.id}").text
    elsewhere = client.post(_review_url(facts), data={**form, "action": "confirm", "next": "https://evil.example/"})
    assert elsewhere.headers["location"] == "/"


def test_review_page_shows_forms_only_to_editors_and_escapes_values(client: TestClient,
                                                                    site: tuple[Store, Facts]) -> None:
    _, facts = site
    event = facts.events[0]
    anonymous = client.get(f"/review/events/{event.id}")
    assert anonymous.status_code == 200 and "<form class=\"review\"" not in anonymous.text
    assert "sign in to review" in anonymous.text
    token = _session_csrf(client, "ed")
    client.post(_review_url(facts), headers={"X-CSRF-Token": token},
                json={"field": "place", "action": "correct", "value": XSS})
    page = client.get(f"/review/events/{event.id}")
    assert XSS not in page.text and "&lt;script&gt;" in page.text
    assert page.text.count('<form class="review"') == len(review.field_names("seizure", len(event.items)))


@pytest.mark.parametrize(("body", "status"), [
    ({"field": "arrests", "action": "correct", "value": "many"}, 422),
    ({"field": "colour", "action": "correct", "value": "red"}, 422),
    ({"field": "arrests", "action": "undo"}, 422),
])
def test_bad_reviews_are_refused_in_the_error_shape(client: TestClient, site: tuple[Store, Facts],
                                                    body: dict[str, Any], status: int) -> None:
    _, facts = site
    token = _session_csrf(client, "ed")
    _assert_error(client.post(_review_url(facts), json=body, headers={"X-CSRF-Token": token}), status)


def test_unknown_facts_and_bodies_are_refused_in_the_error_shape(client: TestClient) -> None:
    token = _session_csrf(client, "ed")
    headers = {"X-CSRF-Token": token}
    _assert_error(client.get("/api/events/no-such-event/history"), 404)
    _assert_error(client.get("/review/events/no-such-event"), 404)
    _assert_error(client.post("/api/events/no-such-event/review", headers=headers,
                              json={"field": "arrests", "action": "confirm"}), 404)
    _assert_error(client.post("/api/events/x/review", headers=headers, content=b"[1]",
                              ), 415)
    _assert_error(client.post("/api/events/x/review", headers={**headers, "content-type": "application/json"},
                              content=b"{not json"), 400)


def test_signout_ends_the_session(client: TestClient, site: tuple[Store, Facts]) -> None:
    _, facts = site
    token = _session_csrf(client, "ed")
    cookie = client.cookies["borderwatch_session"]
    _assert_error(client.post("/signout", json={}), 403)
    assert client.post("/signout", json={}, headers={"X-CSRF-Token": token}).json() == {"ok": True}
    client.cookies.set("borderwatch_session", cookie)  # a stolen copy no longer works either
    _assert_error(client.post(_review_url(facts), headers={"X-CSRF-Token": token},
                              json={"field": "arrests", "action": "confirm"}), 401)
