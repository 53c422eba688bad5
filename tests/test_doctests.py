"""Every public example in the package's docstrings runs, as pyoxigraph's test_doc does."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import kg


def modules():
    for info in pkgutil.walk_packages(kg.__path__, prefix="kg."):
        yield info.name


@pytest.mark.parametrize("name", sorted(modules()))
def test_doctests(name, monkeypatch, root):
    monkeypatch.chdir(root)
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0, f"{failures} doctest failures in {name}"


def test_some_modules_have_examples():
    counted = sum(len(doctest.DocTestFinder().find(importlib.import_module(n))) for n in modules())
    assert counted >= 15
