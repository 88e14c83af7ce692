"""The Prometheus endpoint: django-prometheus' request metrics plus the task queues.

Off unless METRICS_TOKEN is set; then only a scrape that presents it as a bearer token
gets an answer. Behind gunicorn's several processes, PROMETHEUS_MULTIPROC_DIR makes the
counters of every worker process add up (deploy/gunicorn.conf.py clears it at start).
"""

import hmac
import os
from collections.abc import Iterator

import prometheus_client
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from homestretch.ops.health import queue_stats


class QueueCollector(Collector):
    """Read at each scrape, in the scraping process: no shared state needed."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        stats = queue_stats() or {}
        depth = GaugeMetricFamily(
            "homestretch_queue_jobs", "Jobs waiting to start, per task queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "homestretch_queue_oldest_job_age_seconds",
            "How long the next job of each task queue has waited (0 when none waits).",
            labels=["queue"],
        )
        for name, queue in stats.items():
            depth.add_metric([name], queue.depth)
            age.add_metric([name], queue.oldest_seconds or 0)
        yield depth
        yield age


def authorized(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given, token)


# Queue gauges in a registry of their own, appended to whichever the processes share.
_QUEUES = prometheus_client.CollectorRegistry()
_QUEUES.register(QueueCollector())


def render() -> HttpResponse:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY  # where django-prometheus counts
    body = prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(_QUEUES)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
