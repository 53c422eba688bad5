"""The extraction cache that makes builds incremental.

A document's extraction depends only on its bytes, its metadata and the code and reference data
that read it.  Each extraction is stored under ``OUT/cache/extract/`` with a key made of those
content hashes; a rebuild after one document is added or changed extracts that one document and
reads the others back.  Linking and mapping are corpus-wide and cheap, so they always run: the
result is the same as a clean build, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .records import Extraction, SourceDocument

VERSION = b"extract-cache-1"


def code_fingerprint(root: Path) -> str:
    """A hash of the code that reads and extracts documents, and the reference data it uses."""
    h = hashlib.sha256(VERSION)
    package = Path(__file__).resolve().parent
    code = sorted((package / "extract").rglob("*.py")) + [package / n for n in ("records.py", "sources.py", "readers.py")]
    for path in code + sorted((root / "ontology" / "reference").glob("*.ttl")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class ExtractionCache:
    """Extractions on disk, keyed by content hashes; a damaged entry is a miss, not an error."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.used: set[str] = set()

    def key(self, doc: SourceDocument) -> str:
        parts = (self.fingerprint, doc.sha256, doc.key, doc.path, doc.media_type, repr(doc.metadata))
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def get(self, doc: SourceDocument) -> Extraction | None:
        key = self.key(doc)
        self.used.add(key)
        try:
            with open(self.folder / key, "rb") as handle:
                found = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return found if isinstance(found, Extraction) and found.doc == doc else None

    def put(self, x: Extraction) -> None:
        key = self.key(x.doc)
        self.used.add(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}"
            with open(tmp, "wb") as handle:
                pickle.dump(x, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.folder / key)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def prune(self) -> None:
        """Forget extractions of documents that are no longer in the folder."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                try:
                    path.unlink()
                except OSError:
                    pass
