"""Data and constraints only; rules live in services.py."""
