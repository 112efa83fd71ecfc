"""Operator pages for alerts: list, compose (with live preview), detail with actions, lineage, history."""
