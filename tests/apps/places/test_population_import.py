import numpy as np
import pytest
from django.core.management import call_command

from hushdor.apps.places.models import PopulationGrid
from hushdor.apps.places.selectors import places_info, population_grid_active
from hushdor.apps.places.services import areas_import, population_grid_deactivate, population_import

from .factories import regions_file, write_geotiff

pytestmark = pytest.mark.django_db
NODATA = -99999.0


def counts(shape: tuple[int, int], seed: int) -> np.ndarray:
    values = np.random.default_rng(seed).gamma(0.6, 40.0, size=shape).astype(np.float32)
    values[np.random.default_rng(seed + 1).random(shape) < 0.3] = 0.0
    return values


def test_a_geographic_geotiff_is_resampled_conserving_people(tmp_path, var_dir):
    areas_import(regions_file(tmp_path / "r.geojson"), level="region", code_field="iso", name_field="label")
    values = counts((200, 400), seed=7)  # 0.01° pixels over 68–72 °E, 37–39 °N
    values[:5, :5] = NODATA
    path = write_geotiff(
        tmp_path / "pop.tif", values, west=68.0, north=39.0, pixel=0.01, crs="EPSG:4326", nodata=NODATA
    )
    expected = float(values[values >= 0].astype(np.float64).sum())

    summary = population_import(path)

    assert summary.total_read == pytest.approx(expected, rel=1e-9)
    assert summary.total_on_grid == pytest.approx(expected, rel=0.001)
    assert summary.skipped_pixels == 25
    grid = population_grid_active()
    assert grid.total() == pytest.approx(expected, rel=0.001)
    assert PopulationGrid.objects.get(is_active=True).total == pytest.approx(expected, rel=0.001)
    west_half = float(values[:, :200][values[:, :200] >= 0].astype(np.float64).sum())
    by_region = {region["code"]: region["population"] for region in places_info()["regions"]}
    assert by_region["XR-A"] == pytest.approx(west_half, rel=0.005)
    assert by_region["XR-A"] + by_region["XR-B"] == pytest.approx(expected, rel=0.001)


def test_a_projected_geotiff_is_reprojected_conserving_people(tmp_path, var_dir):
    values = counts((60, 80), seed=3)  # 1 km UTM 42N pixels around Dushanbe
    path = write_geotiff(
        tmp_path / "utm.tif",
        values,
        west=520_000,
        north=4_300_000,
        pixel=1000.0,
        crs="EPSG:32642",
        nodata=None,
    )
    summary = population_import(path)
    assert summary.total_on_grid == pytest.approx(float(values.astype(np.float64).sum()), rel=0.001)
    from pyproj import Transformer

    west, south, east, north = Transformer.from_crs(32642, 4326, always_xy=True).transform_bounds(
        520_000, 4_240_000, 600_000, 4_300_000
    )
    grid = population_grid_active()
    lat, lon = grid.grid.centres_of(grid.cell_index)
    half_cell = grid.grid.resolution_deg / 2
    assert south - half_cell <= lat.min() and lat.max() <= north + half_cell
    assert west - half_cell <= lon.min() and lon.max() <= east + half_cell


def test_the_active_grid_changes_with_each_import_and_falls_back_to_the_bundled_one(tmp_path, var_dir):
    bundled_total = population_grid_active().total()
    small = write_geotiff(
        tmp_path / "small.tif",
        np.full((10, 10), 2.0),
        west=70.0,
        north=38.0,
        pixel=0.01,
        crs="EPSG:4326",
        nodata=None,
    )
    population_import(small)
    assert population_grid_active().total() == pytest.approx(200.0, rel=1e-6)
    population_grid_deactivate()
    assert population_grid_active().total() == pytest.approx(bundled_total)
    assert PopulationGrid.objects.filter(is_active=True).count() == 0


def test_the_command_reports_totals_before_and_after(tmp_path, var_dir, capsys):
    path = write_geotiff(
        tmp_path / "c.tif",
        np.full((12, 12), 5.0),
        west=69.0,
        north=38.0,
        pixel=0.01,
        crs="EPSG:4326",
        nodata=None,
    )
    call_command("places", "import-population", str(path))
    out = capsys.readouterr().out
    assert "720 people read" in out and "720 on the working grid" in out


def test_a_raster_without_crs_or_outside_the_grid_is_refused(tmp_path, var_dir):
    from django.core.management import CommandError

    outside = write_geotiff(
        tmp_path / "far.tif", np.ones((4, 4)), west=10.0, north=50.0, pixel=0.01, crs="EPSG:4326", nodata=None
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("places", "import-population", str(outside))
    assert excinfo.value.returncode == 2 and "far.tif" in str(excinfo.value)
    no_crs = write_geotiff(
        tmp_path / "nocrs.tif", np.ones((4, 4)), west=70.0, north=38.0, pixel=0.01, crs=None, nodata=None
    )
    with pytest.raises(CommandError, match=r"nocrs\.tif, field 'crs'"):
        call_command("places", "import-population", str(no_crs))
    assert PopulationGrid.objects.count() == 0
    assert not list((var_dir / "population").glob("*")) if (var_dir / "population").exists() else True
