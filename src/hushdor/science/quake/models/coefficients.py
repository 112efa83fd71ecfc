"""Read the packaged coefficient tables (``hushdor/science/quake/tables/*.csv``).

Each table is a CSV whose leading ``#`` lines name its source (paper, repository, path, release);
the first non-comment line holds the column names, the first column the row key (an IMT such as
``PGA`` or ``SA(0.3)``, or a model variant).  Tables are read once, at import of the model module
that uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

import numpy as np

from hushdor.science.quake.models.base import normalise_imt

CoefficientRow = Mapping[str, float]


def read_table(filename: str, *, key_is_imt: bool = True) -> Mapping[str, CoefficientRow]:
    """Return ``{row key: {column: value}}`` for one packaged table (blank cells become NaN).

    With ``key_is_imt`` the keys are normalised IMT names (``SA(0.30)`` → ``SA(0.3)``).
    """
    path = resources.files("hushdor.science.quake").joinpath("tables", filename)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    data = np.genfromtxt(lines, delimiter=",", names=True, dtype=None, encoding="utf-8")
    data = np.atleast_1d(data)
    key_column, *value_columns = data.dtype.names
    table: dict[str, CoefficientRow] = {}
    for record in data:
        key = str(record[key_column]).strip()
        if key_is_imt:
            key = normalise_imt(key)
        table[key] = MappingProxyType({column: float(record[column]) for column in value_columns})
    return MappingProxyType(table)
