"""Progress on the terminal for long work (build, validate, push), silent when stderr is not one.

Stages report ``progress(stage)`` when they start and ``progress(stage, done, total)`` as they go;
this turns those calls into a rich progress bar on stderr.
"""

from __future__ import annotations

import sys


class TerminalProgress:
    """A callable progress reporter; a no-op unless stderr is a terminal."""

    def __init__(self, *, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.bar = None
        self.task = None
        self.stage = None

    def __enter__(self) -> "TerminalProgress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if self.bar is None:
            return
        if stage != self.stage:
            if self.task is not None:
                self.bar.update(self.task, completed=self.bar.tasks[self.task].total or 1)
            self.task = self.bar.add_task(stage, total=None)
            self.stage = stage
        if total:
            self.bar.update(self.task, completed=done or 0, total=total)
