"""Fixtures for the earthquake-science tests: the shared reference tables beside the checkout.

The reference folder is ``shared/reference`` next to the repository (``<repo>/../shared/reference``);
it is looked for in each folder above the repository root. Without it these tests FAIL: they are
the verification of the models against OpenQuake and ShakeMap, and must not pass silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]


def find_reference_dir() -> Path | None:
    """The first ``<ancestor>/shared/reference`` above the repository root, if any."""
    for ancestor in REPOSITORY_ROOT.parents:
        candidate = ancestor / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    found = find_reference_dir()
    if found is None:
        pytest.fail(
            f"reference tables not found: expected a 'shared/reference' folder beside the checkout "
            f"(looked above {REPOSITORY_ROOT}); the quake model tests cannot run without it"
        )
    return found


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
