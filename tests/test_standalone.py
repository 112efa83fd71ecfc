"""The repository stands alone: nothing in it names a path outside the checkout, and the reference
tables the science is verified against are the copies whose checksums their README records."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from tests.conftest import (
    BESIDE_THE_CHECKOUT,
    REPOSITORY_ROOT,
    RESEARCH_FOLDER,
    OutsideTheRepositoryError,
    _refuse_reads_beside_the_checkout,
)

REFERENCE = REPOSITORY_ROOT / "tests" / "data" / "reference"
SCANNED = ("src", "tests", "bench", "scripts", ".ci", "Makefile", "pyproject.toml")
SUFFIXES = {".py", ".sh", ".toml", ".cfg", ".ini", ".txt", ""}
# A path outside the checkout: the developers' research folder beside it, an absolute /work path, or
# walking up from the repository into a sibling folder.
_F = re.escape(RESEARCH_FOLDER)
OUTSIDE = re.compile(
    rf"""\.\./{_F}|["']{_F}["']\s*/|(?<![\w/.]){_F}/reference|["']/work/|/work/{_F}|parents\[\d+\]\s*/\s*["']{_F}"""
)


def _scanned_files():
    for name in SCANNED:
        root = REPOSITORY_ROOT / name
        candidates = [root] if root.is_file() else root.rglob("*")
        for path in candidates:
            wanted = path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts
            if wanted and path.resolve() != Path(__file__).resolve():
                yield path


def test_no_file_of_the_project_names_a_path_outside_the_repository():
    offenders = []
    for path in _scanned_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(REPOSITORY_ROOT)}:{number}: {line.strip()[:120]}")
    assert offenders == []


@pytest.mark.parametrize(
    "line",
    [
        f'REF = Path(__file__).parents[3] / "{RESEARCH_FOLDER}" / "reference"',
        f'open("../{RESEARCH_FOLDER}/reference/tj_stations.csv")',
        f'POPULATION = Path("/work/{RESEARCH_FOLDER}/reference/x.csv")',
    ],
)
def test_the_scan_recognises_paths_outside_the_repository(line):
    assert OUTSIDE.search(line)


def test_the_scan_lets_the_repository_copies_through():
    assert not OUTSIDE.search('REFERENCE = REPOSITORY_ROOT / "tests" / "data" / "reference"')
    assert not OUTSIDE.search("``tests/data/reference/oracle_<Model>.csv`` hold mean ln(value)")


def test_reading_beside_the_checkout_is_refused_during_the_tests():
    """The audit hook itself, given the path a test would open (nothing beside the checkout is opened)."""
    beside = BESIDE_THE_CHECKOUT + "reference/tj_stations.csv"
    with pytest.raises(OutsideTheRepositoryError, match="outside the repository"):
        _refuse_reads_beside_the_checkout("open", (beside, "r", 0))
    _refuse_reads_beside_the_checkout("open", (str(REFERENCE / "tj_stations.csv"), "r", 0))  # inside: allowed
    assert (REFERENCE / "tj_stations.csv").read_text(encoding="utf-8").startswith("#")


def _recorded_checksums() -> dict[str, str]:
    readme = (REFERENCE / "README.md").read_text(encoding="utf-8")
    return dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})\s+(\S+\.csv)$", readme, re.MULTILINE)
    )


def test_every_reference_table_is_listed_with_its_checksum_and_unchanged():
    recorded = _recorded_checksums()
    present = {path.name for path in REFERENCE.glob("*.csv")}
    assert present and set(recorded) == present
    for name, digest in recorded.items():
        assert hashlib.sha256((REFERENCE / name).read_bytes()).hexdigest() == digest, name


def test_every_reference_table_names_its_source_in_its_header():
    for path in REFERENCE.glob("*.csv"):
        header = [line for line in path.read_text(encoding="utf-8").splitlines()[:6] if line.startswith("#")]
        assert header, f"{path.name} has no '#' source lines"
