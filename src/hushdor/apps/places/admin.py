"""Places in the admin, read-only: imports go through ``hushdor places import-…`` (services)."""

from __future__ import annotations

from django.contrib import admin

from hushdor.apps.accounts.admin_base import ReadOnlyAdmin
from hushdor.apps.places.models import District, PopulationGrid, Region, Settlement


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_tg", "name_ru", "population")
    search_fields = ("code", "name", "name_tg", "name_ru")
    exclude = ("geometry",)


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_tg", "name_ru", "region", "population")
    list_filter = ("region",)
    search_fields = ("code", "name", "name_tg", "name_ru")
    exclude = ("geometry",)


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("name", "name_tg", "name_ru", "population", "region", "district")
    list_filter = ("region",)
    search_fields = ("code", "name", "name_tg", "name_ru")


@admin.register(PopulationGrid)
class PopulationGridAdmin(ReadOnlyAdmin):
    list_display = ("name", "resolution_arcsec", "cells", "total", "is_active", "imported_at")
