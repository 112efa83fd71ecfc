"""Exceptions raised by `hushdor.geo`: one base class, a subclass per kind of failure."""


class GeoError(Exception):
    """Base class of every error raised by hushdor.geo."""


class GridError(GeoError, ValueError):
    """A grid definition, or an index or coordinate given to a grid, is invalid."""


class DatasetError(GeoError):
    """A packaged or user-supplied dataset file is missing or malformed (the message names the file)."""
