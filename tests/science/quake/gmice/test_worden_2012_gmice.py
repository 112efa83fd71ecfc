"""Worden et al. (2012) GMICE against ShakeMap's own test vectors (usgs/shakemap tests/shakelib/gmice/wgrw12_test.py).

Units as in ``worden2012_gmice_verification.csv``: GM2MI inputs are PGA/SA in g and PGV in cm/s
(passed to us as natural logs); MI2GM expected values are PGA/SA in %g and PGV in cm/s.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from hushdor.science.quake.gmice.worden_2012 import COEFFICIENTS, mmi_from_pgm, pgm_from_mmi
from hushdor.science.quake.models import InvalidInputError, UnsupportedIMTError

TOLERANCE = 1e-6  # the vectors carry 8-9 significant digits


def optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def test_every_shakemap_vector_is_reproduced(read_reference_csv: Callable[[str], np.ndarray]) -> None:
    vectors = read_reference_csv("worden2012_gmice_verification.csv")
    assert len(vectors) == 49
    failures = []
    for row in vectors:
        imt, mag, rrup = str(row["imt"]), optional(row["mag"]), optional(row["dist_km"])
        if row["direction"] == "GM2MI":
            got, _ = mmi_from_pgm(imt, np.log([row["input"]]), mag=mag, rrup=rrup)
            error = abs(got[0] - row["expected"]) / row["expected"]
            shown = got[0]
        else:
            got, _ = pgm_from_mmi(imt, np.array([row["input"]]), mag=mag, rrup=rrup)
            shown = np.exp(got[0]) * (1.0 if imt == "PGV" else 100.0)  # g → %g
            error = abs(shown / row["expected"] - 1.0)
        if not error <= TOLERANCE:
            failures.append(
                f"{row['direction']} {imt} input {row['input']} d={rrup} M={mag}: "
                f"ours {shown:.8f}, ShakeMap {row['expected']}"
            )
    assert not failures, "\n".join(failures)


def test_sigmas_are_those_of_the_reference_table(read_reference_csv: Callable[[str], np.ndarray]) -> None:
    coefficients = read_reference_csv("worden2012_gmice_coeffs.csv")
    for row in coefficients:
        imt = str(row["imt"])
        _, sigma_mmi = mmi_from_pgm(imt, np.log([0.1]))
        _, sigma_ln = pgm_from_mmi(imt, np.array([6.0]), mag=6.0, rrup=20.0)
        assert sigma_mmi == pytest.approx(row["SMMI"])
        assert sigma_ln == pytest.approx(row["SPGM"] * np.log(10.0))


@pytest.mark.parametrize("imt", ["PGA", "PGV", "SA(0.3)", "SA(1.0)", "SA(3.0)"])
def test_conversion_round_trips_inside_the_unclipped_range(imt: str) -> None:
    # ShakeMap's rounded segment bounds (T1 vs T2) leave the inverse and forward kinks ~0.01 MMI
    # apart, so intensities within 0.05 of a kink are left out.
    kinks = np.array([COEFFICIENTS[imt]["T2_low"], COEFFICIENTS[imt]["T2"]])
    intensities = np.linspace(1.5, 9.5, 33)
    intensities = intensities[np.abs(intensities[:, None] - kinks).min(axis=1) > 0.05]
    rrup = np.linspace(5.0, 400.0, intensities.size)
    for mag, distance in ((None, None), (6.3, rrup)):
        motion, _ = pgm_from_mmi(imt, intensities, mag=mag, rrup=distance)
        back, _ = mmi_from_pgm(imt, motion, mag=mag, rrup=distance)
        np.testing.assert_allclose(back, intensities, rtol=1e-12)


def test_correction_needs_both_magnitude_and_distance_as_in_shakemap() -> None:
    ln_pgv = np.log([10.0, 30.0])
    plain, _ = mmi_from_pgm("PGV", ln_pgv)
    np.testing.assert_array_equal(mmi_from_pgm("PGV", ln_pgv, rrup=50.0)[0], plain)
    np.testing.assert_array_equal(mmi_from_pgm("PGV", ln_pgv, mag=7.0)[0], plain)
    assert not np.allclose(mmi_from_pgm("PGV", ln_pgv, mag=7.0, rrup=50.0)[0], plain)


def test_intensity_is_clipped_to_one_and_ten_and_nan_stays_nan() -> None:
    mmi, _ = mmi_from_pgm("PGA", np.log([1e-6, 5.0, np.nan]))
    assert mmi[0] == 1.0 and mmi[1] == 10.0 and np.isnan(mmi[2])
    motion, _ = pgm_from_mmi("PGA", np.array([np.nan, 5.0]))
    assert np.isnan(motion[0]) and np.isfinite(motion[1])


def test_unsupported_imt_and_bad_correction_inputs_are_refused() -> None:
    with pytest.raises(UnsupportedIMTError, match=r"does not convert IMT 'SA\(2.0\)'"):
        mmi_from_pgm("SA(2.0)", np.log([0.1]))
    with pytest.raises(UnsupportedIMTError):
        pgm_from_mmi("MMI", np.array([5.0]))
    with pytest.raises(InvalidInputError):
        mmi_from_pgm("PGA", np.log([0.1]), mag=6.0, rrup=-3.0)
