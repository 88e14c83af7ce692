import logging

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from homestretch.ops import health, metrics

log = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache, storage and task queue answer; 503 when one doesn't.

    Each part is "ok" or "unreachable" (the reason goes to the log, never into the reply);
    `queues` gives each queue's waiting jobs and how long the oldest has waited, for a
    monitor to alert on a worker that stopped.
    """
    parts = {
        "database": health.check_database(),
        "cache": health.check_cache(),
        "storage": health.check_storage(),
    }
    queues = health.queue_stats()
    healthy = all(parts.values()) and queues is not None
    body: dict[str, object] = {"status": "ok" if healthy else "error"}
    body |= {name: "ok" if ok else "unreachable" for name, ok in parts.items()}
    body["queues"] = (
        "unreachable"
        if queues is None
        else {
            name: {"depth": stats.depth, "oldest_seconds": stats.oldest_seconds}
            for name, stats in queues.items()
        }
    )
    return JsonResponse(body, status=200 if healthy else 503)


@require_GET
@never_cache
def prometheus(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a scraper presenting METRICS_TOKEN; 404 when that is unset."""
    from django.conf import settings

    if not settings.METRICS_TOKEN:
        raise Http404
    if not metrics.authorized(request):
        response = HttpResponse(
            "A bearer token is needed.\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return metrics.render()
