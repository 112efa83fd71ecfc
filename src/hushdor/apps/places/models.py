"""Data and constraints only; rules live in services.py.

Geometry is stored as GeoJSON text (WGS84 longitude/latitude) beside its bounding box, so the
project runs on plain SQLite and PostgreSQL without GeoDjango: the bounding-box columns make
"which areas could touch this point or box" a cheap indexed filter, and shapely does the rest.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """What regions and districts share: a code, names in three languages, a polygon."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True, default="")
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True, default="")
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    geometry = models.TextField(_("geometry"), help_text=_("GeoJSON Polygon or MultiPolygon, WGS84 lon/lat"))
    min_lon = models.FloatField(_("west longitude"))
    min_lat = models.FloatField(_("south latitude"))
    max_lon = models.FloatField(_("east longitude"))
    max_lat = models.FloatField(_("north latitude"))
    source = models.CharField(_("source"), max_length=200, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def _bbox_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(min_lon__gte=-180) & Q(max_lon__lte=180) & Q(min_lon__lte=models.F("max_lon")),
            name=f"{prefix}_bbox_lon_valid",
        ),
        models.CheckConstraint(
            condition=Q(min_lat__gte=-90) & Q(max_lat__lte=90) & Q(min_lat__lte=models.F("max_lat")),
            name=f"{prefix}_bbox_lat_valid",
        ),
    ]


class Region(Area):
    """A first-level administrative unit (viloyat, the capital, the districts of republican subordination)."""

    class Meta(Area.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = _bbox_constraints("places_region")
        indexes = [
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="places_region_bbox")
        ]


class District(Area):
    """A second-level unit (nohiya or city of regional subordination), inside one region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )

    class Meta(Area.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = _bbox_constraints("places_district")
        indexes = [
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="places_district_bbox")
        ]


class Settlement(models.Model):
    """A populated place, a point. ``code`` is its stable identifier (GeoNames id for the bundled data)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True, default="")
    name_tg = models.CharField(_("name (Tajik)"), max_length=200, blank=True, default="")
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    population = models.PositiveBigIntegerField(_("population"), default=0)
    # "geonames", "modeled" (the population grid around the point, where the source gave none) or "" for
    # an imported figure; a modeled figure is shown as such to the duty officer.
    population_source = models.CharField(_("population source"), max_length=20, blank=True, default="")
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("region"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settlements",
        verbose_name=_("district"),
    )
    source = models.CharField(_("source"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-population", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__gte=-90) & Q(lat__lte=90) & Q(lon__gte=-180) & Q(lon__lte=180),
                name="places_settlement_coordinates_valid",
            ),
        ]
        indexes = [models.Index(fields=["lat", "lon"], name="places_settlement_latlon")]

    def __str__(self) -> str:
        return self.name


class PopulationGrid(models.Model):
    """An imported population grid on the working grid; its arrays live in an .npz file.

    ``path`` is relative to ``settings.VAR_DIR / "population"``. At most one grid is active;
    when none is, the bundled grid of ``hushdor.geo.dataset`` is used.
    """

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=500, blank=True, default="")
    resolution_arcsec = models.FloatField(_("resolution (arc-seconds)"))
    cells = models.PositiveIntegerField(_("cells"), help_text=_("cells with a population above zero"))
    total = models.FloatField(_("total"), help_text=_("people counted on the working grid"))
    total_in_source = models.FloatField(
        _("total in the source"),
        null=True,
        blank=True,
        help_text=_("people in the source raster inside the working grid"),
    )
    path = models.CharField(_("file"), max_length=500, unique=True)
    is_active = models.BooleanField(_("active"), default=False)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("population grid")
        verbose_name_plural = _("population grids")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="places_one_active_population_grid"
            ),
            models.CheckConstraint(
                condition=Q(resolution_arcsec__gt=0), name="places_grid_resolution_positive"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="places_grid_total_non_negative"),
        ]

    def __str__(self) -> str:
        return self.name
