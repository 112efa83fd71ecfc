"""The house rules that code review alone would let slip: the pure core never pulls in Django."""

import subprocess
import sys
from pathlib import Path

import hushdor

PURE_PACKAGES = ("science", "cap", "cbs", "edxl", "geo", "feeds", "reports")
PURE_MODULES = ("hushdor.xmlsafe", "hushdor.worker.fetch")


def pure_modules() -> list[str]:
    root = Path(hushdor.__file__).parent
    names = list(PURE_MODULES)
    for package in PURE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_pure_core_imports_without_django():
    modules = pure_modules()
    assert len(modules) > 30  # the science, CAP, geometry and feed packages are all there
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'hushdor.apps')))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the pure core imported: {result.stdout.strip()}"


def test_alerts_imports_no_app_downstream_of_it():
    """The chain runs one way: alerts is told of issues through its listeners, it never calls them."""
    import re
    from pathlib import Path

    import hushdor

    alerts = Path(hushdor.__file__).parent / "apps" / "alerts"
    downstream = re.compile(r"^\s*(from|import)\s+hushdor\.apps\.(dissemination|operations|assistance|exercises)\b", re.M)
    offenders = [str(path) for path in alerts.rglob("*.py") if downstream.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert downstream.search("from hushdor.apps.dissemination.services import x")  # the pattern does find one
