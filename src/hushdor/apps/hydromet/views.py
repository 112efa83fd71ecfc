"""The logger push endpoint: ``POST /hydromet/push`` with ``Authorization: Bearer <station token>``.

Body: CSV (``text/csv``: header ``time,variable,value``) or JSON (``{"observations": [...]}``), at most
10,000 rows and 2 MB. Answers JSON: 200 ``{"accepted", "duplicates", "rejected", "flagged", "alarms"}``,
401 without a valid token, 413 too large, 400 with the reason for a batch refused as a whole.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hushdor.apps.hydromet.services import PushError, observations_push, station_for_token

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
