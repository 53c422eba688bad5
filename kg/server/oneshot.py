"""One request to the app in-process, without opening a socket (``kg serve --get /path``).

>>> from starlette.applications import Starlette
>>> from starlette.responses import PlainTextResponse
>>> from starlette.routing import Route
>>> app = Starlette(routes=[Route("/", lambda r: PlainTextResponse(r.headers.get("accept", "")))])
>>> get(app, "/", {"Accept": "text/turtle"})
(200, [('content-length', '11'), ('content-type', 'text/plain; charset=utf-8')], b'text/turtle')
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


def _scope(method: str, target: str, headers: dict[str, str]) -> dict:
    parts = urlsplit(target)
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": parts.path or "/", "raw_path": (parts.path or "/").encode(),
            "query_string": parts.query.encode(), "root_path": "", "headers": [(b"host", b"localhost")] + raw,
            "client": ("127.0.0.1", 0), "server": ("localhost", 80)}


async def _call(app, scope: dict, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    sent = {"status": 500, "headers": [], "body": []}
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            sent["body"].append(message.get("body", b""))

    try:
        await app(scope, receive, send)
    except Exception:  # noqa: BLE001 - Starlette re-raises after sending its 500 response
        if not sent["body"]:
            raise
    return sent["status"], sent["headers"], b"".join(sent["body"])


def get(app, target: str, headers: dict[str, str] | None = None, *, method: str = "GET",
        body: bytes = b"") -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of one request to an ASGI app."""
    return asyncio.run(_call(app, _scope(method, target, headers or {}), body))
