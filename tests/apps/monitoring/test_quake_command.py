"""``hushdor quake``: exit codes, JSON keys, the model evaluator and the batch CSV (no database)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hushdor.cli", "quake", *args], capture_output=True, text=True, timeout=120
    )


def call(*args: str) -> str:
    out = io.StringIO()
    call_command("quake", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_assess_json_has_the_documented_keys() -> None:
    document = json.loads(
        call("assess", "--lat", "38.211", "--lon", "72.780", "--depth", "22", "--mag", "7.2", "--json")
    )
    assert set(document["exposure_by_mmi"]) == {str(k) for k in range(1, 11)}
    assert all(isinstance(value, int) for value in document["exposure_by_mmi"].values())
    assert {"expected", "alert", "probabilities"} <= set(document["fatalities"])
    for key in (
        "max_mmi",
        "economic",
        "regions",
        "districts",
        "settlements",
        "model_set",
        "timings_ms",
        "notes",
    ):
        assert key in document
    assert document["model_set"] == "tajikistan" and "total" in document["timings_ms"]


def test_assess_table_is_the_default_output() -> None:
    text = call("assess", "--lat", "38.211", "--lon", "72.780", "--depth", "22", "--mag", "7.2")
    assert "Gorno-Badakhshan" in text and "Population exposed per intensity" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--mag", "11"), "magnitude"),
        (("--depth", "900"), "depth"),
        (("--lat", "95"), "latitude"),
        (("--model-set", "nope"), "unknown model set"),
    ],
)
def test_bad_assess_input_is_a_command_error_with_exit_code_2(args: tuple[str, ...], words: str) -> None:
    base = {"--lat": "38.2", "--lon": "72.8", "--depth": "22", "--mag": "7"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=words) as caught:
        call("assess", *[item for pair in base.items() for item in pair])
    assert caught.value.returncode == 2


def test_command_line_exit_codes_and_one_line_errors() -> None:
    good = run(
        "model", "BindiEtAl2011Repi", "--imt", "MMI", "--mag", "6", "--repi", "10", "--depth", "10", "--json"
    )
    assert good.returncode == 0, good.stderr
    bad_number = run("assess", "--lat", "abc", "--lon", "72", "--depth", "10", "--mag", "6")
    assert bad_number.returncode == 2 and "invalid float value" in bad_number.stderr
    nan = run("assess", "--lat", "nan", "--lon", "72", "--depth", "10", "--mag", "6")
    assert nan.returncode == 2 and "latitude" in nan.stderr and "Traceback" not in nan.stderr


def test_model_reports_natural_units_and_converts_the_distance() -> None:
    pgv = json.loads(call("model", "BooreEtAl2014", "--imt", "PGV", "--mag", "7.2", "--rjb", "10", "--json"))
    assert pgv["unit"] == "cm/s" and pgv["mean"] == pytest.approx(
        25.21, abs=0.01
    )  # tajik scenario table, 10 km
    from_repi = json.loads(
        call(
            "model",
            "BindiEtAl2011Rhypo",
            "--imt",
            "MMI",
            "--mag",
            "7.2",
            "--repi",
            "10",
            "--depth",
            "22",
            "--json",
        )
    )
    assert from_repi["distance_km"] == pytest.approx((10**2 + 22**2) ** 0.5)
    with pytest.raises(CommandError, match="exactly one distance"):
        call("model", "BooreEtAl2014", "--imt", "PGV", "--mag", "7", "--rjb", "1", "--repi", "2")
    with pytest.raises(CommandError, match="does not define"):
        call("model", "BindiEtAl2011Repi", "--imt", "PGA", "--mag", "7", "--repi", "1")


def test_models_lists_every_model_with_its_distance() -> None:
    text = call("models")
    assert "BooreEtAl2014HighQ" in text and "Kanno2006Deep" in text and "rrup" in text


def test_batch_reports_bad_rows_and_assesses_the_others(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(
        "id,lat,lon,depth_km,mag\nsarez,38.211,72.780,22,7.2\nbroken,38.2,72.8,22,eleven\nchile,-33.4,-70.6,30,8\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 of 3") as caught:
        call_command("quake", "batch", str(source), "--out", str(target), stdout=io.StringIO(), stderr=errors)
    assert caught.value.returncode == 2
    assert "line 3" in errors.getvalue() and "magnitude" in errors.getvalue()
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == ["sarez", "broken", "chile"]
    assert float(rows[0]["max_mmi"]) >= 8.0 and rows[0]["error"] == ""
    assert rows[1]["error"].startswith("line 3") and rows[2]["mmi5"] == "0"


def test_batch_refuses_a_file_without_the_required_columns(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text("lat,lon\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="depth_km"):
        call("batch", str(source))
