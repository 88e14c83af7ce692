"""Start the production stack of deploy/ on loopback ports, and stop every part of it.

The commands are read from deploy/ itself (the systemd units' ExecStart lines, the nginx
site), so the test runs what an operator installs, with only addresses, paths and ports
changed.
"""

import base64
import contextlib
import hashlib
import hmac
import ipaddress
import json
import os
import select
import shlex
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
POSTGRES = "host=127.0.0.1 port=5432 user=postgres"
# This project's Redis database for the stack test; never 0 or 1, and not 14, which the
# ops tests use: the stack flushes its database and its `default` worker takes jobs.
REDIS_DB = 13
HOST = "127.0.0.1"
NGINX_SECRET = "stack-test-nginx-secret-" + uuid.uuid4().hex

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.s3 import S3Server


def wait_for(
    condition: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    watch: "subprocess.Popen[bytes]",
) -> Any:
    """Ask `condition` until it returns something truthy; fail after `timeout` seconds.

    `watch` is the process the answer depends on (a server starting, the worker
    transcoding, the server that will refuse an expired link): between two questions the
    wait is on it, so its exit fails the wait at once, with its exit code, instead of at
    the deadline.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        with contextlib.suppress(subprocess.TimeoutExpired):
            code = watch.wait(timeout=0.2)
            raise AssertionError(f"waiting for {what}, its process stopped (exit code {code})")


def wait_until_gone(pids: list[int], *, timeout: float, what: str) -> None:
    """Wait for processes that are not our children to end: each one's pidfd becomes
    readable when it exits (Linux), so the wait is on the exits themselves."""
    fds = []
    for pid in pids:
        try:
            fds.append(os.pidfd_open(pid))
        except ProcessLookupError:
            continue  # gone already
    try:
        deadline = time.monotonic() + timeout
        waiting = set(fds)
        while waiting:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
            ready, _, _ = select.select(list(waiting), [], [], left)
            waiting -= set(ready)
    finally:
        for fd in fds:
            os.close(fd)


def play_past(page: "Page", seconds: float, *, timeout: float) -> None:
    """Wait, inside the page, for its video to play past `seconds`: on the video's own
    `timeupdate` events (page.evaluate runs through DevTools, so the page's CSP, which
    forbids the eval that wait_for_function needs, still holds)."""
    video = page.locator("video")
    video.wait_for(state="attached", timeout=timeout * 1000)
    video.evaluate(
        """(video, [seconds, timeout]) => new Promise((resolve, reject) => {
  const check = () => { if (video.currentTime > seconds) resolve(true); };
  setTimeout(() => reject(new Error(`the video did not play past ${seconds} s`)), timeout);
  video.addEventListener('timeupdate', check);
  check();
})""",
        [seconds, timeout * 1000],
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    try:
        socket.create_connection((HOST, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238's code for a base32 secret, as an authenticator app shows it."""
    counter = int((time.time() if at is None else at) // 30)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def exec_start(unit: str, **specifiers: str) -> list[str]:
    """A unit's ExecStart as argv, with the venv of this run and %-specifiers filled in."""
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        if line.startswith("ExecStart="):
            command = line.removeprefix("ExecStart=").replace(
                "/srv/homestretch/.venv/bin/", f"{VENV_BIN}/"
            )
            for name, value in specifiers.items():
                command = command.replace(f"%{name}", value)
            return shlex.split(command)
    raise AssertionError(f"{unit} has no ExecStart")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert, key_file = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key_file


def render_site(replacements: dict[str, str]) -> str:
    """deploy/nginx/homestretch.conf with the operator's choices made for this test.

    Each line replaced must be in the file as shipped, so the test notices the site file
    changing under it.
    """
    site = (DEPLOY / "nginx" / "homestretch.conf").read_text()
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/homestretch.conf no longer has {old!r}"
        site = site.replace(old, new)
    return site


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (RQ's work horse makes a process group of its own)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Site:
    """One gunicorn behind one nginx: its ports, address and environment."""

    name: str
    https_port: int
    http_port: int
    app_port: int
    env: dict[str, str]

    @property
    def base_url(self) -> str:
        return f"https://{HOST}:{self.https_port}"


class Stack:
    """The processes and the database of one production-like run, and their logs.

    The main site keeps its media in a bucket (SeaweedFS's S3 server, tests/s3.py) with
    the object-storage delivery, and its video worker has a MEDIA_ROOT of its own, as a
    worker on another machine would. A second site (`local`), on the same database,
    keeps media on its own disk with the nginx delivery.
    """

    def __init__(self, folder: Path, s3: "S3Server | None" = None) -> None:
        self.folder = folder
        self.logs = folder / "logs"
        self.logs.mkdir()
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.database = f"homestretch_e2e_{uuid.uuid4().hex[:12]}"
        self.https_port = free_port()
        self.http_port = free_port()
        self.app_port = free_port()
        self.base_url = f"https://{HOST}:{self.https_port}"
        self.s3 = s3
        self.env = self._environment()
        self.sites = {
            "main": Site("main", self.https_port, self.http_port, self.app_port, self.env)
        }

    # -- Settings -------------------------------------------------------------------------

    def _environment(self) -> dict[str, str]:
        keep = ("PATH", "HOME", "LANG", "TMPDIR")
        env = {k: v for k, v in os.environ.items() if k in keep}
        for name in ("media", "static", "var", "mail"):
            (self.folder / name).mkdir()
        return (
            env
            | {
                "DJANGO_SETTINGS_MODULE": "homestretch.settings",
                "DEBUG": "false",
                "HTTPS": "true",
                "SECRET_KEY": "e2e-" + uuid.uuid4().hex + uuid.uuid4().hex,
                "ALLOWED_HOSTS": HOST,
                "SITE_URL": self.base_url,
                "CSRF_TRUSTED_ORIGINS": self.base_url,
                "TRUSTED_PROXY_COUNT": "1",
                "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{self.database}",
                "REDIS_URL": f"redis://{HOST}:6379/{REDIS_DB}",
                "EMAIL_URL": f"file://{self.folder / 'mail'}",
                "MEDIA_ROOT": str(self.folder / "media"),
                "STATIC_ROOT": str(self.folder / "static"),
                "VAR_DIR": str(self.folder / "var"),
                "FINDER_TILE_URL": "none",
                "LOG_FORMAT": "json",
                "LIBRARY_MAX_UPLOAD_MB": "40",
                # A killed run is given up on after 15 s of silence instead of two minutes.
                "LIBRARY_TRANSCODE_STALE_SECONDS": "15",
                "GUNICORN_BIND": f"{HOST}:{self.app_port}",
                "GUNICORN_WORKERS": "2",
                # Segment links live 5 s instead of a minute: the tests see them expire.
                "LIBRARY_SEGMENT_TTL_SECONDS": "5",
            }
            | (
                self.s3.env(prefix=self.database) | {"LIBRARY_DELIVERY": "object-storage"}
                if self.s3
                else {}
            )
        )

    def local_site(self) -> Site:
        """The second site's settings: its media on disk, segments served by nginx."""
        (self.folder / "nginx-media-secret.conf").write_text(
            f'set $homestretch_media_secret "{NGINX_SECRET}";\n'
        )
        env = {k: v for k, v in self.env.items() if not k.startswith("MEDIA_S3_")}
        port = free_port()
        env |= {
            "MEDIA_STORAGE": "local",
            "LIBRARY_DELIVERY": "nginx",
            "LIBRARY_NGINX_SECRET": NGINX_SECRET,
            "GUNICORN_BIND": f"{HOST}:{port}",
        }
        site = Site("local", free_port(), free_port(), port, env)
        env["SITE_URL"] = env["CSRF_TRUSTED_ORIGINS"] = site.base_url
        self.sites["local"] = site
        return site

    # -- Database and Redis -----------------------------------------------------------------

    def create_database(self) -> None:
        with psycopg.connect(f"{POSTGRES} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        self.flush_redis()

    def drop_database(self) -> None:
        with psycopg.connect(f"{POSTGRES} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def flush_redis(self) -> None:
        import redis

        redis.Redis(host=HOST, port=6379, db=REDIS_DB).flushdb()

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(f"{POSTGRES} dbname={self.database}", autocommit=True) as db:
            return db.execute(sql, params).fetchall()

    def encodings(self, slug: str) -> list[dict[str, Any]]:
        rows = self.query(
            "SELECT e.id, e.state, e.progress, e.error, s.encoding_id = e.id"
            " FROM library_encoding e JOIN library_sequence s ON s.id = e.sequence_id"
            " WHERE s.slug = %s ORDER BY e.created_at",
            slug,
        )
        keys = ("id", "state", "progress", "error", "playing")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    # -- Commands and processes ---------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr}"
        return result.stdout

    def python(self, code: str, site_name: str = "main") -> str:
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            cwd=ROOT,
            env=self.sites[site_name].env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env or self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def json_lines(self, name: str) -> list[dict[str, Any]]:
        lines = []
        for line in self.log(name).splitlines():
            if line.startswith("{"):
                with contextlib.suppress(json.JSONDecodeError):
                    lines.append(json.loads(line))
        return lines

    def kill(self, name: str) -> None:
        """SIGKILL a process and everything below it, as a reboot or the OOM killer would."""
        process = self.processes.pop(name)
        victims = [process.pid, *descendants(process.pid)]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)
        wait_until_gone(victims, timeout=30, what=f"{name} to die")

    def stop_all(self) -> None:
        """Stop every process started, and whatever they started; force it if need be."""
        everyone: list[int] = []
        for process in self.processes.values():
            everyone += [process.pid, *descendants(process.pid)]
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for pid in everyone:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        self.processes.clear()

    # -- The parts --------------------------------------------------------------------------

    def start_nginx(self, nginx: str, site_name: str = "main") -> None:
        here = self.sites[site_name]
        name = "nginx" if site_name == "main" else f"nginx-{site_name}"
        cert, key = self_signed_certificate(self.folder)
        upload_mb = int(self.env["LIBRARY_MAX_UPLOAD_MB"])
        secret = self.folder / f"nginx-media-secret{'' if site_name == 'local' else '-none'}"
        site = render_site(
            {
                "listen 80;": f"listen {HOST}:{here.http_port};",
                "listen [::]:80;": "",
                "listen 443 ssl http2;": f"listen {HOST}:{here.https_port} ssl http2;",
                "listen [::]:443 ssl http2;": "",
                "server 127.0.0.1:8000;": f"server {HOST}:{here.app_port};",
                "include /etc/homestretch/nginx-media-secret*.conf;": f"include {secret}*.conf;",
                "alias /srv/homestretch/var/media/hls/$homestretch_file;": (
                    f"alias {here.env['MEDIA_ROOT']}/hls/$homestretch_file;"
                ),
                "server_name homestretch.example.org;": f"server_name {HOST};",
                "/etc/letsencrypt/live/homestretch.example.org/fullchain.pem": str(cert),
                "/etc/letsencrypt/live/homestretch.example.org/privkey.pem": str(key),
                "/var/log/nginx/homestretch.": f"{self.logs}/{name}-homestretch.",
                "alias /srv/homestretch/var/static/;": f"alias {self.folder / 'static'}/;",
                "alias /srv/homestretch/deploy/nginx/errors/;": f"alias {DEPLOY}/nginx/errors/;",
                "client_max_body_size 8193m;": f"client_max_body_size {upload_mb + 1}m;",
            }
        )
        prefix = self.folder / name
        prefix.mkdir()
        (prefix / "site.conf").write_text(site)
        # As root, nginx's workers would drop to "nobody", who may not read these folders.
        user = "user root;" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"""{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {self.logs}/{name}-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    access_log {self.logs}/{name}-access.log;
    include {prefix}/site.conf;
}}
"""
        )
        command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        checked = subprocess.run(
            [*command, "-t"], capture_output=True, text=True, timeout=30, check=False
        )
        assert checked.returncode == 0, checked.stderr
        self.start(name, command)
        wait_for(
            lambda: listening(here.https_port), timeout=120, what=name, watch=self.processes[name]
        )

    def start_web(self, site_name: str = "main") -> None:
        here = self.sites[site_name]
        name = "gunicorn" if site_name == "main" else f"gunicorn-{site_name}"
        self.start(name, exec_start("homestretch-web.service"), env=here.env)
        wait_for(
            lambda: listening(here.app_port), timeout=180, what=name, watch=self.processes[name]
        )

    def start_worker(self, queue: str) -> None:
        # Its own MEDIA_ROOT, as on another machine: with the bucket it needs no shared disk.
        env = self.env | {"MEDIA_ROOT": str(self.folder / "worker-media")} if self.s3 else None
        self.start(f"worker-{queue}", exec_start("homestretch-worker@.service", i=queue), env)
        import redis

        connection = redis.Redis(host=HOST, port=6379, db=REDIS_DB)
        process = self.processes[f"worker-{queue}"]
        before = set(connection.smembers(f"rq:workers:{queue}"))

        def registered() -> bool:
            # RQ lists each worker of a queue under this key once it is ready for jobs.
            return bool(set(connection.smembers(f"rq:workers:{queue}")) - before)

        wait_for(registered, timeout=180, what=f"the {queue} worker", watch=process)
