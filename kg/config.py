"""Settings, built once and passed explicitly.

A project folder is found by convention: the folder holding ``ontology/``, ``shapes/`` and
``queries/`` (the current folder or one of its parents, else the folder this package was
installed from).  An optional ``kg.toml`` in it overrides the defaults::

    base_iri = "https://example.org/id/"
    out = "build"
    seeds = "seeds"
    max_document_bytes = 50000000   # a bigger document is refused
    max_documents = 200000          # a folder with more is refused
    max_nesting = 1000              # HTML elements, SPARQL groups nested deeper are refused
    jobs = 0                        # processes for extraction and validation (0: one per core)

>>> s = Settings.for_project(project_root())
>>> s.base_iri
'https://w3id.org/atrocity-kg/id/'
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputError

DEFAULT_BASE = "https://w3id.org/atrocity-kg/id/"
AKG = "https://w3id.org/atrocity-kg/ontology#"
KNOWN_KEYS = {"base_iri", "out", "seeds", "max_document_bytes", "max_documents", "max_nesting", "jobs"}
EXAMPLES = {"max_document_bytes": 50000000, "max_documents": 200000, "max_nesting": 1000, "jobs": 2}
BASE_HINT = "an http(s) IRI ending in / or #, as https://example.org/id/"


def _is_project(path: Path) -> bool:
    return all((path / name).is_dir() for name in ("ontology", "shapes", "queries"))


def project_root(start: Path | None = None) -> Path:
    """The project folder: ``start`` or a parent holding ontology/, shapes/, queries/."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_project(candidate):
            return candidate
    installed = Path(__file__).resolve().parent.parent
    if _is_project(installed):
        return installed
    raise InputError(f"{here}: no ontology/, shapes/ and queries/ folders here or above",
                     hint="run kg inside an atrocity-kg project folder")


@dataclass(frozen=True)
class Settings:
    """Paths and options for one run."""

    root: Path
    seeds: Path
    out: Path
    base_iri: str = DEFAULT_BASE
    max_document_bytes: int = 50_000_000
    max_documents: int = 200_000
    max_nesting: int = 1000  # HTML elements, SPARQL groups and brackets
    jobs: int = 0  # 0: as many as the machine has cores

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def current(self) -> Path:
        """The published release: a symlink swapped atomically by each build."""
        return self.out / "current"

    @property
    def store_path(self) -> Path:
        return self.current / "store"

    @property
    def dumps_path(self) -> Path:
        return self.current / "dumps"

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def for_project(cls, root: Path, **overrides) -> "Settings":
        options = _read_config(root / "kg.toml")
        seeds = Path(options.pop("seeds", "seeds"))
        out = Path(options.pop("out", "build"))
        settings = cls(root=root, seeds=root / seeds, out=root / out, **options)
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean)


def _read_config(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: not valid TOML: {err}", hint="fix the syntax") from None
    except RecursionError:
        raise InputError(f"{path}: not valid TOML: nested too deeply to be read",
                         hint="settings are single values: key = value") from None
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise InputError(f"{path}: unknown setting {unknown[0]!r}",
                         hint=f"known settings: {', '.join(sorted(KNOWN_KEYS))}")
    _check_types(path, data)
    base = data.get("base_iri", DEFAULT_BASE)
    if not base.startswith(("http://", "https://")) or not base.endswith(("/", "#")):
        raise InputError(f"{path}: base_iri {base!r} is not an http(s) IRI ending in '/' or '#'",
                         hint=f"give {BASE_HINT}")
    return data


def _check_types(path: Path, data: dict) -> None:
    """Limits and jobs are positive integers (jobs may be 0: one per core); paths and the base
    are strings."""
    for key, value in sorted(data.items()):
        if key in ("base_iri", "out", "seeds"):
            if not isinstance(value, str):
                raise InputError(f"{path}: {key} must be a string, not {_kind(value)}",
                                 hint=f'write it in quotes: {key} = "..."')
            continue
        least = 0 if key == "jobs" else 1
        if not isinstance(value, int) or isinstance(value, bool):
            raise InputError(f"{path}: {key} must be an integer, not {_kind(value)}",
                             hint=f"write a whole number without quotes, as {key} = {EXAMPLES[key]}")
        if value < least:
            what = "a positive integer" if least else "0 (one per core) or more"
            raise InputError(f"{path}: {key} must be {what}, not {value}",
                             hint=f"write a whole number of at least {least}, or leave {key} out")


def _kind(value) -> str:
    return f"{type(value).__name__} {value!r}" if isinstance(value, (str, int, float, bool)) else type(value).__name__


def cpu_count() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
