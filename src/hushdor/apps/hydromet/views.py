"""The logger push endpoint and the operator pages (stations, plots, alarms, the Sarez panel).

The push endpoint: ``POST /hydromet/push`` with ``Authorization: Bearer <station token>``.

Body: CSV (``text/csv``: header ``time,variable,value``) or JSON (``{"observations": [...]}``), at most
10,000 rows and 2 MB. Answers JSON: 200 ``{"accepted", "duplicates", "rejected", "flagged", "alarms"}``,
401 without a valid token, 413 too large, 400 with the reason for a batch refused as a whole.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from hushdor.apps.accounts.decorators import role_required
from hushdor.apps.accounts.roles import has_role
from hushdor.apps.hydromet import plots, selectors
from hushdor.apps.hydromet.models import AlarmState, Station, TechnicalAlarm
from hushdor.apps.hydromet.services import PushError, alarm_set_state, observations_push, station_for_token
from hushdor.science.hydromet.observations import VARIABLES

MAX_BODY_BYTES = 2 * 1024 * 1024


@csrf_exempt  # machine-to-machine; the station token authenticates, no cookie is involved
@require_POST
def push(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    station = (
        station_for_token(header.removeprefix("Bearer ").strip()) if header.startswith("Bearer ") else None
    )
    if station is None:
        return JsonResponse(
            {"error": "a valid station token is needed (Authorization: Bearer …)"}, status=401
        )
    length = int(request.headers.get("Content-Length") or 0)
    if length > MAX_BODY_BYTES:
        return JsonResponse(
            {"error": f"the body is larger than {MAX_BODY_BYTES // 1024 // 1024} MB"}, status=413
        )
    try:
        result = observations_push(
            station=station, body=request.body, content_type=request.content_type or ""
        )
    except PushError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(result.as_json())


# --- the operator pages ----------------------------------------------------------------------------
UNITS = {
    "precipitation_mm": "mm/h",
    "water_level_cm": "cm",
    "discharge_m3s": "m³/s",
    "air_temperature_c": "°C",
    "snow_depth_cm": "cm",
    "lake_level_m": "m",
}


@require_GET
@role_required("viewer")
def stations(request: HttpRequest):
    from hushdor.apps.hydromet.wis2 import health

    latest = selectors.latest_values()
    rows = [{"station": s, "latest": latest.get(s.pk, [])} for s in Station.objects.order_by("name")]
    from hushdor.apps.hydromet.models import AvalancheLevel
    from hushdor.apps.places.models import District

    return render(
        request,
        "hydromet/stations.html",
        {
            "rows": rows,
            "alarms": selectors.open_alarms(),
            "wis2": health(),
            "can_decide": has_role(request.user, "editor"),
            "districts": District.objects.order_by("name").values_list("code", "name"),
            "avalanche_levels": AvalancheLevel.objects.select_related("set_by")[:10],
        },
    )


@require_GET
@role_required("viewer")
def station(request: HttpRequest, code: str):
    station = get_object_or_404(Station, code=code)
    latest = selectors.latest_values().get(station.pk, [])
    return render(
        request,
        "hydromet/station.html",
        {
            "station": station,
            "latest": latest,
            "variables": [row["variable"] for row in latest],
            "alarms": station.alarms.select_related("alert").order_by("-pk")[:30],
        },
    )


def _thresholds(station: Station, variable: str, points: list[tuple]) -> list[tuple[float, str]]:
    if variable == "discharge_m3s":
        levels = (station.thresholds or {}).get("return_levels") or []
        return [(value, f"Q{years}") for value, years in zip(levels, (2, 5, 20), strict=False)]
    if variable == "lake_level_m" and points:
        last_time = points[-1][0]
        base = [v for t, v, flag in points if t <= last_time - timedelta(hours=24) and v is not None and flag == 0]
        if base:
            return [(base[-1] + 0.25, "+0.25 m / 24 h"), (base[-1] + 0.5, "+0.5 m / 24 h")]
    return []


@require_GET
@role_required("viewer")
def station_plot(request: HttpRequest, code: str, variable: str):
    station = get_object_or_404(Station, code=code)
    if variable not in VARIABLES:
        raise Http404(_("Unknown variable."))
    points = selectors.series(station, variable)
    png = plots.series_png(points, title=f"{station.name}: {variable}", unit=UNITS[variable],
                           thresholds=_thresholds(station, variable, points))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
@role_required("viewer")
def alarms(request: HttpRequest):
    return render(
        request,
        "hydromet/alarms.html",
        {"alarms": selectors.recent_alarms(), "can_decide": has_role(request.user, "editor")},
    )


@require_POST
@role_required("editor")
def alarm_decide(request: HttpRequest, alarm_id: int):
    alarm = get_object_or_404(TechnicalAlarm, pk=alarm_id)
    state = request.POST.get("state", "")
    if state not in {AlarmState.ACKNOWLEDGED, AlarmState.VERIFIED, AlarmState.FALSE, AlarmState.CLOSED}:
        raise Http404(_("Unknown alarm state."))
    try:
        alarm_set_state(alarm=alarm, state=state, actor=request.user)
    except PushError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Alarm %(id)s: %(state)s.") % {"id": alarm.pk, "state": alarm.get_state_display()})
    return redirect(request.POST.get("next") or "hydromet:alarms")


@require_GET
@role_required("viewer")
def sarez(request: HttpRequest):
    from hushdor.apps.hydromet.warnings import sarez_arrivals

    codes = ["SAREZ-LAKE", "USOI-SEEPAGE", "BARCHADIV", "USOI-PIEZO", "SAREZ-SLIDE-GPS"]
    sensors = {s.code: s for s in Station.objects.filter(code__in=codes)}
    latest = selectors.latest_values()
    lake = sensors.get("SAREZ-LAKE")
    rise = None
    if lake is not None:
        points = [p for p in selectors.series(lake, "lake_level_m", days=2) if p[1] is not None and p[2] == 0]
        if points:
            before = [v for t, v, _ in points if t <= points[-1][0] - timedelta(hours=24)]
            rise = points[-1][1] - before[-1] if before else None
    return render(
        request,
        "hydromet/sarez.html",
        {
            "sensors": [(sensors[c], latest.get(sensors[c].pk, [])) for c in codes if c in sensors],
            "rise": rise,
            "arrivals": sarez_arrivals(),
            "alarms": TechnicalAlarm.objects.filter(rule__startswith="sarez.").select_related("alert", "decided_by").order_by("-pk")[:20],
            "can_decide": has_role(request.user, "editor"),
        },
    )


@require_POST
@role_required("editor")
def avalanche_level(request: HttpRequest):
    """The forecaster's avalanche danger level for a district (wins over the indicators)."""
    from hushdor.apps.hydromet.warnings import avalanche_level_set

    try:
        alert = avalanche_level_set(
            actor=request.user,
            district_code=request.POST.get("district", ""),
            level=int(request.POST.get("level") or 0),
            hours=int(request.POST.get("hours") or 24),
            note=request.POST.get("note", ""),
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Avalanche level saved.")
            + (" " + _("Warning: %(state)s.") % {"state": alert.get_state_display()} if alert is not None else ""),
        )
    return redirect("hydromet:stations")
