"""Pure parsers for incoming feeds (no Django, no I/O): bytes in, plain dataclasses out."""
