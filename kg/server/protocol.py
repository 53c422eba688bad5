"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for each request's head.

uvicorn waits for the head of a request (its request line and headers) as long as the client
likes: a connection that sends ``GET / HT`` and nothing more stays open for ever, and every open
connection counts towards uvicorn's ``limit_concurrency``.  A few hundred such connections (a
"slowloris") would make the server answer 503 to everyone else.  :class:`HeadTimeoutProtocol`
closes a connection whose request head is not complete ``HEAD_TIMEOUT`` seconds after the
connection opened or the previous response ended (an idle keep-alive connection is closed
earlier by uvicorn's own ``timeout_keep_alive``).  The body, once the head is in, is bounded by
``--max-body`` and read by the app.  Use it as uvicorn's ``http`` protocol::

    uvicorn.run(app, http=HeadTimeoutProtocol, ...)
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 10.0  # seconds a client has to send a request line and its headers


class HeadTimeoutProtocol(H11Protocol):
    """H11Protocol that closes a connection whose request head is late."""

    head_timeout: float = HEAD_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_late)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_late(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
            self.transport.close()  # no request in progress: nothing to answer

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a request's head is in (or the connection is over)
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
