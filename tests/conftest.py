"""Shared fixtures: the project folder, a copy of it to break, and one build of the seeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.config import Settings, project_root

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return project_root(ROOT)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, root):
    """The seed graph built once with the real pipeline into a temporary output folder."""
    from kg.pipeline import build

    settings = Settings.for_project(root).with_(out=tmp_path_factory.mktemp("seed-build"))
    result = build(settings)
    return settings, result


@pytest.fixture(scope="session")
def seed_store(seed_build):
    from kg.store import open_store

    settings, _ = seed_build
    return open_store(settings.out)


@pytest.fixture()
def project(tmp_path, root, monkeypatch) -> Path:
    """A copy of the project folder (ontology, shapes, queries, seeds) to change freely;
    the current directory is set to it so that the CLI finds it by convention."""
    copy = tmp_path / "project"
    for name in ("ontology", "shapes", "queries", "seeds"):
        shutil.copytree(root / name, copy / name)
    monkeypatch.chdir(copy)
    return copy
