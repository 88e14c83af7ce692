"""gunicorn for Homestretch: `gunicorn -c deploy/gunicorn.conf.py homestretch.wsgi`.

Started by deploy/systemd/homestretch-web.service, from the project folder, with the
environment of /etc/homestretch/homestretch.env. Lines marked CHOOSE are the operator's
to set; each has a GUNICORN_* variable, so this file can stay as shipped.

Reloading: `systemctl reload homestretch-web` sends SIGHUP; gunicorn starts new workers
with the new code and lets the old ones finish their requests (up to graceful_timeout)
while the listening socket stays open, so an upgrade drops no request.
"""

import os
import shutil
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    """A whole number from the environment; a bad one stops gunicorn, naming it."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number above 0, not {value!r}.")
    return int(value)


# CHOOSE: where nginx reaches gunicorn: a loopback address (the default) or
# unix:/run/homestretch/gunicorn.sock. Never a public address: nginx is the front door.
bind = os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"

# CHOOSE: worker processes. Each handles one request at a time (sync workers suit an app
# behind nginx, which buffers slow clients); 2 per core plus one keeps the CPUs busy while
# some wait on the database. Lower it when the video worker shares the machine.
workers = _int("GUNICORN_WORKERS", (os.cpu_count() or 1) * 2 + 1)

# CHOOSE: the longest a request may take. nginx buffers a whole upload before handing it
# over, so gunicorn reads even an 8 GB source at disk speed, then Django copies it into
# MEDIA_ROOT and probes it: minutes, not hours. Keep nginx's proxy_read_timeout the same.
timeout = _int("GUNICORN_TIMEOUT", 300)
# How long a reload or stop lets requests in flight finish.
graceful_timeout = 60
# Behind nginx on loopback: short keep-alive is plenty.
keepalive = 5
# A fresh worker now and then caps any slow memory growth; jitter spreads the restarts.
max_requests = 2000
max_requests_jitter = 200

# One JSON line per request on stdout (journald keeps it), with the request id that
# Django answered with (nginx's $request_id; see homestretch/ops/middleware.py). No query
# string: signed video URLs carry tokens there.
accesslog = "-"
errorlog = "-"
logger_class = "homestretch.ops.gunicorn.Logger"
access_log_format = (
    '{"time": "%(t)s", "request_id": "%({x-request-id}o)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"remote": "%({x-forwarded-for}i)s", "user_agent": "%(a)s"}'
)

# gunicorn's runtime control socket is not used: systemd's signals (reload, stop) suffice,
# and one fewer socket is one fewer thing to secure.
control_socket_disable = True

# nginx on this machine sets X-Forwarded-Proto; gunicorn may trust it from loopback.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"


# With METRICS_TOKEN, the workers' Prometheus counters add up in PROMETHEUS_MULTIPROC_DIR
# (the unit points it at /run/homestretch/prometheus): emptied at start, and told when
# a worker exits so its gauges go.
def on_starting(server: Any) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
