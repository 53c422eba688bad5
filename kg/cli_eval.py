"""``kg evaluate``: score extraction against the hand-made expected results of a corpus.

Registered by :func:`kg.cli._register_plugins`; a thin command over :mod:`kg.evaluate`.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class EvalFormat(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer, handled, settings_for) -> None:
    @app.command("evaluate")
    @handled
    def evaluate_command(
            corpus: Optional[Path] = typer.Argument(
                None, help="Folder with docs/ and expected/, or a folder of such corpora "
                           "(default: the project's tests/eval/ and its holdout/ and blind/ sets).",
                show_default=False),
            format: EvalFormat = typer.Option(EvalFormat.text, "--format", help="text or json."),
            max_document_bytes: Optional[int] = typer.Option(
                None, "--max-document-bytes", min=1,
                help="Refuse a document bigger than this (default: max_document_bytes in kg.toml).")):
        """Score extraction (signatories, calls, titles, dates, ...) against expected results."""
        import json

        from .evaluate import evaluate_all, report_json, report_text
        from .reference import load_reference

        settings = settings_for(max_document_bytes=max_document_bytes)
        folder = corpus if corpus is not None else settings.root / "tests" / "eval"
        ref = load_reference(settings.ontology / "reference", settings.base_iri)
        results = evaluate_all(folder, ref, max_bytes=settings.max_document_bytes)
        typer.echo(json.dumps(report_json(results), indent=2, ensure_ascii=False)
                   if format == EvalFormat.json else report_text(results))
        return 0
