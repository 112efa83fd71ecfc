"""Build-time helpers for `scripts/build_tj_dataset.py` (never imported by the hushdor package)."""
