"""``hushdor cap validate``: exit codes, JSON shape, unreadable files."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CORPUS = Path(__file__).parents[2] / "cap" / "corpus"
VALID = CORPUS / "valid" / "heat_sughd_en.xml"
INVALID = CORPUS / "invalid" / "relative_web.xml"
DURING = "2025-07-15T09:00:00+05:00"


def run(*args: str) -> tuple[list[dict[str, object]], int]:
    out = StringIO()
    try:
        call_command("cap", "validate", *args, "--json", "--at", DURING, stdout=out)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return json.loads(out.getvalue()), code


def test_valid_files_exit_zero_with_the_json_shape() -> None:
    results, code = run(str(VALID), str(CORPUS / "valid" / "heat_sughd_en.xml"))
    assert code == 0
    assert results[0] == {"file": str(VALID), "valid": True, "errors": [], "warnings": []}


def test_one_invalid_file_makes_the_exit_code_one() -> None:
    results, code = run(str(VALID), str(INVALID))
    assert code == 1
    assert [r["valid"] for r in results] == [True, False]
    assert any(str(line).startswith("web.not_absolute: ") for line in results[1]["errors"])  # type: ignore[union-attr]


def test_an_unreadable_file_is_invalid_with_a_clear_error(tmp_path: Path) -> None:
    results, code = run(str(tmp_path / "missing.xml"), str(tmp_path))
    assert code == 1
    assert [r["errors"][0].split(":")[0] for r in results] == ["file.unreadable", "file.unreadable"]  # type: ignore[index]


def test_an_expired_alert_is_invalid_when_judged_now() -> None:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("cap", "validate", str(VALID), "--json", stdout=out)
    assert raised.value.returncode == 1
    assert "alert.stale" in out.getvalue()


def test_the_real_command_line_exits_with_the_status_and_prints_no_traceback(tmp_path: Path) -> None:
    hostile = tmp_path / "xxe.xml"
    hostile.write_bytes(b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "cap",
            "validate",
            str(VALID),
            str(hostile),
            "--json",
            "--at",
            DURING,
            "--settings=hushdor.settings",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr
    results = json.loads(completed.stdout)
    assert [r["valid"] for r in results] == [True, False]
    assert results[1]["errors"][0].startswith("xml.doctype: ")
