"""docs/architecture.md names real files: a module moved or renamed fails here, not in reading."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "architecture.md").read_text()
NAMED = sorted(set(re.findall(r"`((?:[\w-]+/)+[\w.-]+\.(?:py|js|md))`", GUIDE)))


def test_the_guide_names_files():
    assert len(NAMED) > 20


@pytest.mark.parametrize("path", NAMED)
def test_every_file_named_exists(path):
    assert (ROOT / path).is_file() or (ROOT / "docs" / path).is_file(), path
