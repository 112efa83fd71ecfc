"""The ``hushdor`` command: Django management commands underneath, one clear line on error.

hushdor run | worker | migrate | createoperator | places … | quake … | cap … | demo …
hushdor --version
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["--version"], ["-V"], ["version"]):
        from hushdor import __version__

        print(f"hushdor {__version__}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hushdor.settings")
    if not args:
        args = ["help", "--commands"]
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["hushdor", *args])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a user-facing boundary: one line, never a traceback
        sys.stderr.write(f"hushdor: {_explain(error)}\n")
        if os.environ.get("HUSHDOR_DEBUG"):
            raise
        sys.exit(1)


def _explain(error: Exception) -> str:
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError, ProgrammingError

    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, (OperationalError, ProgrammingError)):
        if "no such table" in text or "does not exist" in text:
            return f"the database is not set up ({text}); run `hushdor migrate` first"
        return f"cannot use the database: {text} (check HUSHDOR_DATABASE_URL)"
    if isinstance(error, ImproperlyConfigured):
        return f"configuration problem: {text}"
    return f"{type(error).__name__}: {text}"


if __name__ == "__main__":
    main()
