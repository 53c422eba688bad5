"""Incremental builds: after one document is added or changed, only it is extracted again,
and the result is byte-identical to a clean build of the same folder."""

from __future__ import annotations

import hashlib
import shutil

import pytest

import kg.pipeline as pipeline
from kg.config import Settings


def digests(release):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((release / "dumps").iterdir())}


@pytest.fixture()
def counted(monkeypatch):
    calls = []
    real = pipeline.extract

    def counting(doc):
        calls.append(doc.key)
        return real(doc)

    monkeypatch.setattr(pipeline, "extract", counting)
    return calls


def test_rebuild_extracts_only_what_changed(tmp_path, root, counted):
    seeds = tmp_path / "seeds"
    shutil.copytree(root / "seeds", seeds)
    settings = Settings.for_project(root).with_(seeds=seeds, out=tmp_path / "out")
    pipeline.build(settings)
    assert len(counted) == 5
    counted.clear()
    pipeline.build(settings)
    assert counted == []  # nothing changed: every extraction read back
    (seeds / "005_added.txt").write_text(
        "Joint Statement on Example Atrocities\n\n3 March 2023\n\nWe urge the Council to act.\n\n"
        "Yours sincerely,\nExample Watch\n", encoding="utf-8")
    changed = seeds / "002_cd49a45c123e606c.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA closing line added later.\n", encoding="utf-8")
    incremental = pipeline.build(settings)
    assert sorted(counted) == ["002_cd49a45c123e606c", "005_added"]
    clean = pipeline.build(settings.with_(out=tmp_path / "clean"))
    assert digests(incremental.release) == digests(clean.release)


def test_a_damaged_cache_entry_is_a_miss_not_an_error(tmp_path, root, counted):
    seeds = tmp_path / "seeds"
    shutil.copytree(root / "seeds", seeds)
    settings = Settings.for_project(root).with_(seeds=seeds, out=tmp_path / "out")
    first = pipeline.build(settings)
    for entry in (tmp_path / "out" / "cache" / "extract").iterdir():
        entry.write_bytes(b"not a pickle")
    counted.clear()
    again = pipeline.build(settings)
    assert len(counted) == 5
    assert digests(first.release) == digests(again.release)


def test_parallel_extraction_gives_the_same_graph(tmp_path, root, monkeypatch, seed_build):
    _, sequential = seed_build
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    settings = Settings.for_project(root).with_(out=tmp_path / "parallel", jobs=2)
    parallel = pipeline.build(settings)
    assert digests(parallel.release) == digests(sequential.release)
