"""Errors that the CLI turns into one-line messages and exit codes.

>>> str(InputError("seeds/x.txt: not UTF-8", hint="save it as UTF-8"))
'seeds/x.txt: not UTF-8 (save it as UTF-8)'

A message is always one line: control characters (a newline in a file name, say) are shown
escaped.

>>> str(InputError("seeds/bad\\nname.txt: is binary data"))
'seeds/bad\\\\nname.txt: is binary data'
"""

from __future__ import annotations

import unicodedata

ESCAPED = {"Cc", "Cs", "Zl", "Zp"}  # control characters, lone surrogates, line and paragraph separators


def one_line(text: str) -> str:
    r"""The text with every character that would break or garble a line escaped.

    >>> one_line("a\nb\u2028c\udce9")
    'a\\nb\\u2028c\\udce9'
    """
    if all(unicodedata.category(ch) not in ESCAPED for ch in text):
        return text
    return "".join(ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   if unicodedata.category(ch) in ESCAPED else ch for ch in text)


def _restore(cls, args: tuple, state: dict) -> "KgError":
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class KgError(Exception):
    """A domain error with a message and an optional hint; exit code 4 by default."""

    exit_code = 4

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return one_line(f"{self.message} ({self.hint})" if self.hint else self.message)

    def __reduce__(self):
        """Keep the hint when the error crosses a process boundary (validation workers)."""
        return _restore, (type(self), self.args, dict(self.__dict__))


class InputError(KgError):
    """Bad input: a document, metadata, shape, ontology or query file, or an argument."""

    exit_code = 3


class StoreError(KgError):
    """The store is missing, locked or damaged."""

    exit_code = 3


class BuildLocked(StoreError):
    """Another build holds the lock on the output folder."""


class NotConforming(KgError):
    """The graph does not conform to the shapes; carries the report."""

    exit_code = 1

    def __init__(self, message: str, report) -> None:
        super().__init__(message)
        self.report = report
