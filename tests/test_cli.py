import subprocess
import sys

import hushdor


def run_hushdor(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hushdor.cli", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_version_prints_the_package_version():
    result = run_hushdor("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"hushdor {hushdor.__version__}"


def test_unknown_subcommand_is_one_line_and_non_zero():
    result = run_hushdor("no-such-command")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "no-such-command" in result.stderr
