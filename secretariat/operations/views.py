"""/healthz and /readyz: plain JSON for load balancers and orchestrators.

Neither reads a session, a CSRF token or the signed-in user, and neither is kept by
any cache (no-store). docs/deploy.md says what each answer means.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from . import health


@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    """The process is up and answering: 200, without touching the database."""
    return JsonResponse({"status": "ok"})


@csrf_exempt
@never_cache
@require_safe
def readyz(request):
    """200 when this process can serve (health.readiness), else 503 naming what fails."""
    answer = health.readiness()
    return JsonResponse(answer, status=503 if answer["failing"] else 200)
