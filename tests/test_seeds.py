"""The seeds are the shared documents, unchanged, each with its metadata file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.sources import read_folder

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_five_documents_each_with_metadata(root):
    docs = sorted(p.name for p in (root / "seeds").glob("*.txt"))
    assert len(docs) == 5
    for name in docs:
        assert (root / "seeds" / name.replace(".txt", ".meta.toml")).is_file()


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_seed_files_are_byte_identical_to_the_shared_ones(root):
    for shared in sorted(SHARED.iterdir()):
        ours = root / "seeds" / shared.name
        assert ours.is_file(), shared.name
        assert hashlib.sha256(ours.read_bytes()).digest() == hashlib.sha256(shared.read_bytes()).digest()


def test_sha256_is_of_the_file_bytes_and_text_is_the_decoded_file(root):
    for doc in read_folder(root / "seeds"):
        raw = (root / "seeds" / doc.path).read_bytes()
        assert doc.sha256 == hashlib.sha256(raw).hexdigest()
        assert doc.text == raw.decode("utf-8")  # plain UTF-8, LF, already NFC: nothing changed
