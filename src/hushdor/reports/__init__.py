"""Printable reports (situation reports as PDF). Pure code: no Django; labels come from the caller."""
