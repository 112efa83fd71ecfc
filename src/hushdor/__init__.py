"""Hushdor (ҳушдор, "warning"): multi-hazard early warning and emergency operations."""

__version__ = "0.1.0"
