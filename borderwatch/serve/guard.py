"""ASGI guards around the whole site: a request-body cap applied before anything parses, and
security headers on every response.

Both are plain ASGI middleware, so they cover every route (the API, the pages, /signin, static
files) and run before FastAPI reads a byte of the body.
"""

from __future__ import annotations

import ipaddress
import json

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from borderwatch.serve.api import error_body

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class BodyTooLarge(StarletteHTTPException):
    """A request body over the limit; an HTTP error, so route handlers pass it on as a 413."""

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(413, f"request body too large: at most {limit_bytes} bytes are accepted")


class BodyLimitMiddleware:
    """Refuse bodies over ``limit_bytes``: at once from Content-Length, else while they stream in."""

    def __init__(self, app: ASGIApp, limit_bytes: int) -> None:
        self.app = app
        self.limit_bytes = limit_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a counting ``receive``; answer 413 when it overflows."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit_bytes):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit_bytes:
                    raise BodyTooLarge(self.limit_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(error_body(BodyTooLarge(self.limit_bytes).detail, 413)).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Add the CSP, framing, sniffing and referrer headers, and HSTS on https, to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [*SECURITY_HEADERS, *([HSTS] if _came_over_https(scope) else [])]

        async def headed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(pair for pair in extra if pair[0] not in names)]
            await send(message)

        await self.app(scope, receive, headed_send)


def _came_over_https(scope: Scope) -> bool:
    """The request's scheme, or the first X-Forwarded-Proto a proxy set, is https."""
    forwarded = dict(scope["headers"]).get(b"x-forwarded-proto", b"").split(b",")[0].strip().lower()
    return scope.get("scheme") == "https" or forwarded == b"https"


def exposure_warning(host: str) -> str | None:
    """A warning line when ``host`` makes the server reachable beyond this machine, else None."""
    if host in ("localhost", ""):
        return None
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        loopback = False
    if loopback:
        return None
    return (f"warning: serving on {host} makes borderwatch reachable from other machines; "
            "put it behind an https proxy or bind 127.0.0.1")
