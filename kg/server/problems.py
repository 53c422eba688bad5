"""Errors on the web: one JSON shape for machines (RFC 9457 ``application/problem+json``) and an
HTML page for people, chosen by the Accept header, with the right status code.

The JSON shape, for every error the server gives::

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "no resource with this IRI: https://…", "hint": "…" (only when there is one)}

>>> json.loads(problem_json(Problem(404, "no such thing")))
{'type': 'about:blank', 'title': 'Not Found', 'status': 404, 'detail': 'no such thing'}
"""

from __future__ import annotations

import json
from http import HTTPStatus


class Problem(Exception):
    """An HTTP error with a one-line detail, an optional hint and extra headers."""

    def __init__(self, status: int, detail: str, *, hint: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.hint = hint
        self.headers = headers or {}

    @property
    def title(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"


def problem_json(problem: Problem) -> bytes:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status, "detail": problem.detail}
    if problem.hint:
        body["hint"] = problem.hint
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
