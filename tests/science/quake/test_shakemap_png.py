"""The PNG shakemap: a valid PNG of sensible size, drawn quickly, coloured on the USGS scale."""

from __future__ import annotations

import io
import struct
import time

import numpy as np
import pytest
from matplotlib.image import imread

from hushdor.science.quake.exposure import Exposure
from hushdor.science.quake.impact import EarthquakeInput, assess
from hushdor.science.quake.shakemap_png import USGS_MMI_RGB, mmi_colormap, render_shakemap

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sarez_png() -> tuple[bytes, float]:
    exposure = Exposure.bundled()
    assessment = assess(EarthquakeInput(lat=38.211, lon=72.780, depth_km=22.0, mag=7.2), exposure)
    render_shakemap(assessment, exposure)  # first call loads fonts and borders
    start = time.perf_counter()
    png = render_shakemap(assessment, exposure)
    return png, time.perf_counter() - start


def test_the_shakemap_is_a_valid_png_of_reasonable_size(sarez_png: tuple[bytes, float]) -> None:
    png, _ = sarez_png
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    assert 600 <= width <= 2000 and 400 <= height <= 1500
    assert 30_000 < len(png) < 3_000_000
    pixels = imread(io.BytesIO(png))
    assert pixels.shape[:2] == (height, width)


def test_the_shakemap_shows_strong_shaking_colours(sarez_png: tuple[bytes, float]) -> None:
    pixels = (imread(io.BytesIO(sarez_png[0]))[..., :3] * 255).round().astype(int)
    vi_yellow = np.all(np.abs(pixels - np.array(USGS_MMI_RGB[5])) <= 12, axis=-1)  # MMI VI
    assert vi_yellow.sum() > 50


def test_rendering_takes_less_than_one_and_a_half_seconds(sarez_png: tuple[bytes, float]) -> None:
    assert sarez_png[1] < 1.5


def test_the_colour_scale_matches_the_usgs_table_at_integer_intensities() -> None:
    colormap = mmi_colormap()
    for mmi, rgb in enumerate(USGS_MMI_RGB, start=1):
        assert np.allclose(np.array(colormap(mmi / 10.0)[:3]) * 255, rgb, atol=3.0)  # 0.01-MMI colour steps


def test_the_kept_figure_carries_nothing_from_one_event_to_the_next(sarez_png: tuple[bytes, float]) -> None:
    exposure = Exposure.bundled()
    rasht = assess(EarthquakeInput(lat=38.917, lon=70.554, depth_km=12.0, mag=5.7), exposure)
    sarez = assess(EarthquakeInput(lat=38.211, lon=72.780, depth_km=22.0, mag=7.2), exposure)
    first = render_shakemap(sarez, exposure)
    rasht_png = render_shakemap(rasht, exposure)
    assert rasht_png != first
    assert render_shakemap(sarez, exposure) == first  # Rasht's labels, title and box are gone
