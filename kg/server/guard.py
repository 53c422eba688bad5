"""Limits every request must pass before the app sees it, and security headers on every answer.

- more than ``max_inflight`` requests at once: 503 with Retry-After;
- a path and query string longer than ``max_url``: 414;
- a declared body (Content-Length) larger than ``max_body``: 413 (a body sent without a
  length is counted while it is read, see :func:`kg.server.app.read_body`).

Every response gets ``X-Content-Type-Options: nosniff`` and a Content-Security-Policy that
allows no script at all: even a text that escaped escaping could not run.
"""

from __future__ import annotations

from starlette.requests import Request

from .problems import Problem

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", b"default-src 'none'; style-src 'self'; img-src 'self'; "
                                 b"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"referrer-policy", b"same-origin"),
]


class Guard:
    """Pure ASGI middleware: admission control and size limits."""

    def __init__(self, app, *, limits, render) -> None:
        self.app, self.limits, self.render = app, limits, render
        self.inflight = 0

    def check(self, scope) -> Problem | None:
        if self.inflight >= self.limits.max_inflight:
            return Problem(503, "the server is busy", hint="try again in a moment", headers={"Retry-After": "1"})
        if len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b"")) > self.limits.max_url:
            return Problem(414, f"the URL is longer than {self.limits.max_url} characters",
                           hint="POST a long query as application/sparql-query")
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return Problem(400, "the Content-Length header is not a number")
            if int(length) > self.limits.max_body:
                return Problem(413, f"the request body is larger than {self.limits.max_body} bytes")
        return None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self.check(scope)
        if problem is not None:
            await self.render(Request(scope), problem)(scope, receive, _secured(send))
            return
        self.inflight += 1
        try:
            await self.app(scope, receive, _secured(send))
        finally:
            self.inflight -= 1


def _secured(send):
    async def wrapped(message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": list(message.get("headers", [])) + SECURITY_HEADERS}
        await send(message)
    return wrapped
