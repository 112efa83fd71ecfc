"""Fixtures for the earthquake-science tests: the reference tables the models are verified against.

The tables live in the repository, ``tests/data/reference/`` (their sources, versions and licences are
in the README there), so a clone into an empty folder verifies the science with nothing beside it.
A missing table FAILS the test: these are the verification of the models against OpenQuake and
ShakeMap, and must never pass silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
REFERENCE_DIR = REPOSITORY_ROOT / "tests" / "data" / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE_DIR.is_dir():
        pytest.fail(f"reference tables not found in {REFERENCE_DIR}: the quake model tests cannot run")
    return REFERENCE_DIR


@pytest.fixture(scope="session")
def read_reference_csv(reference_dir: Path) -> Callable[[str], np.ndarray]:
    """A loader: file name → structured array (``#`` lines skipped, names from the header row)."""
    cache: dict[str, np.ndarray] = {}

    def read(name: str) -> np.ndarray:
        if name not in cache:
            path = reference_dir / name
            if not path.is_file():
                pytest.fail(f"reference table {name} is missing from {reference_dir}")
            lines = [
                line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
            ]
            cache[name] = np.atleast_1d(
                np.genfromtxt(lines, delimiter=",", names=True, dtype=None, encoding="utf-8")
            )
        return cache[name]

    return read
