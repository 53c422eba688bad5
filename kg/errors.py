"""Errors that the CLI turns into one-line messages and exit codes.

>>> str(InputError("seeds/x.txt: not UTF-8", hint="save it as UTF-8"))
'seeds/x.txt: not UTF-8 (save it as UTF-8)'
"""

from __future__ import annotations


class KgError(Exception):
    """A domain error with a message and an optional hint; exit code 4 by default."""

    exit_code = 4

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


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
