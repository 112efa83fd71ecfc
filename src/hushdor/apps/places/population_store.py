"""Imported population grids on disk, in the bundled format, under ``settings.VAR_DIR / "population"``.

Each imported grid is a folder holding ``population_30s.npz`` with exactly the arrays of the bundled
file (see `hushdor.geo.dataset`): ``cell_index`` int32 sorted flat indices, ``population`` float32,
``district`` int16 and ``region`` int8 (-1 where no area holds the cell) and ``metadata`` (JSON text).
The metadata names the codes the two index arrays point into (``district_codes``, ``region_codes``),
because an import indexes the areas in the database, not the bundled ones. The folder is read back
with `hushdor.geo.dataset.load_population(data_dir=folder)`, so one reader checks both kinds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from numpy.typing import NDArray

POPULATION_FILE = "population_30s.npz"


@dataclass(frozen=True)
class StoredGrid:
    cell_index: NDArray[np.int32]
    population: NDArray[np.float32]
    district_index: NDArray[np.int16]
    region_index: NDArray[np.int8]
    district_codes: list[str]
    region_codes: list[str]
    metadata: dict[str, Any]


def population_dir() -> Path:
    return Path(settings.VAR_DIR) / "population"


def grid_write(folder: Path, stored: StoredGrid) -> Path:
    """Write ``folder/population_30s.npz`` (the folder must not exist yet); returns the file."""
    folder.mkdir(parents=True, exist_ok=False)
    metadata = {
        **stored.metadata,
        "district_codes": stored.district_codes,
        "region_codes": stored.region_codes,
    }
    target = folder / POPULATION_FILE
    with target.open("wb") as handle:
        np.savez_compressed(
            handle,
            cell_index=stored.cell_index.astype(np.int32),
            population=stored.population.astype(np.float32),
            district=stored.district_index.astype(np.int16),
            region=stored.region_index.astype(np.int8),
            metadata=np.array(json.dumps(metadata, ensure_ascii=False)),
        )
    return target


def grid_remove(folder: Path) -> None:
    (folder / POPULATION_FILE).unlink(missing_ok=True)
    if folder.exists():
        folder.rmdir()
