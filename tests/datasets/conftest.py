"""A writable copy of the minimal dataset, and a way to edit it."""

import shutil

import pytest

from ..conftest import FIXTURES


@pytest.fixture
def folder(tmp_path):
    """A copy of tests/fixtures/minimal that a test may change."""
    target = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def edit(folder, name, old, new):
    """Replace the first `old` by `new` in one file of the dataset."""
    path = folder / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))
