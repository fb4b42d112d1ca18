"""S3 servers for tests: a real SeaweedFS and moto, both on 127.0.0.1.

Use with ``pytest_plugins = ["tests.s3_fixtures"]`` in a test module (or a
conftest). PYTEST_DONT_REWRITE: test modules import helpers from here before
pytest loads it as a plugin, and fixtures need no assertion rewriting.
SeaweedFS runs with an identity config, so requests without the test
credentials are refused, and the credentials reach newsvault only through the
standard AWS environment variables, the way they will in production.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

TEST_ACCESS_KEY = "NVTESTACCESSKEY7Q2"
# Distinctive on purpose: tests grep logs and stored objects for it.
TEST_SECRET_KEY = "nv-SECRET-canary-9f27c1e8-never-log-me"
_AWS_VARS = (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_REQUEST_CHECKSUM_CALCULATION",
    "AWS_RESPONSE_CHECKSUM_VALIDATION",
)


@dataclass(frozen=True)
class S3Server:
    name: str
    endpoint: str

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.endpoint.removeprefix("http://").split(":")
        return host, int(port)

    def client(self) -> Any:
        """An admin client for test setup and inspection (not the code under test)."""
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=TEST_ACCESS_KEY,
            aws_secret_access_key=TEST_SECRET_KEY,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}),
        )


@dataclass(frozen=True)
class Bucket:
    server: S3Server
    name: str
    client: Any

    def object_keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def open_uploads(self) -> list[str]:
        uploads = self.client.list_multipart_uploads(Bucket=self.name).get("Uploads", [])
        return [upload["Key"] for upload in uploads]

    def body(self, key: str) -> bytes:
        data: bytes = self.client.get_object(Bucket=self.name, Key=key)["Body"].read()
        return data


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _weed_command(data: Path, config: Path) -> tuple[list[str], int]:
    s3, s3g, master, masterg, vol, volg, filer, filerg = free_ports(8)
    weed = Path(sys.executable).with_name("weed")
    command = [
        str(weed), "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3g}", f"-s3.config={config}",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.autoCreateBucket=false",
        f"-master.port={master}", f"-master.port.grpc={masterg}",
        "-master.volumeSizeLimitMB=32", "-volume.max=0",
        f"-volume.port={vol}", f"-volume.port.grpc={volg}",
        f"-filer.port={filer}", f"-filer.port.grpc={filerg}",
    ]  # fmt: skip
    return command, s3


def _s3_config(path: Path) -> Path:
    identity = {
        "name": "newsvault-test",
        "credentials": [{"accessKey": TEST_ACCESS_KEY, "secretKey": TEST_SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    path.write_text(json.dumps({"identities": [identity]}), encoding="utf-8")
    return path


def _wait_writable(server: S3Server, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Ready means a write works: the master, volume and filer all came up."""
    client = server.client()
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"weed exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with contextlib.suppress(ClientError):
                client.create_bucket(Bucket="ready-check")
            client.put_object(Bucket="ready-check", Key="ping", Body=b"ok")
            return
        except (BotoCoreError, ClientError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    root = tmp_path_factory.mktemp("seaweedfs")
    (root / "data").mkdir()
    command, port = _weed_command(root / "data", _s3_config(root / "s3.json"))
    log = root / "weed.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    server = S3Server("seaweedfs", f"http://127.0.0.1:{port}")
    try:
        _wait_writable(server, proc, log)
        yield server
    finally:
        proc.terminate()  # weed ignores SIGTERM for ~25 s: do not wait for it
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[S3Server]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield S3Server("moto", f"http://{host}:{port}")
    finally:
        server.stop()


@pytest.fixture(params=["seaweedfs", "moto_s3"])
def any_s3(request: pytest.FixtureRequest) -> S3Server:
    server: S3Server = request.getfixturevalue(request.param)
    return server


def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, endpoint: str) -> None:
    """The standard AWS chain, pointed at a test server, nothing from the host."""
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEST_ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def _bucket(server: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Bucket:
    client = server.client()
    name = f"nv-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    aws_env(monkeypatch, tmp_path, server.endpoint)
    return Bucket(server, name, client)


@pytest.fixture
def s3_bucket(seaweedfs: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Bucket:
    """A fresh bucket on SeaweedFS, with the AWS environment pointing at it."""
    return _bucket(seaweedfs, monkeypatch, tmp_path)


@pytest.fixture
def any_bucket(any_s3: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Bucket:
    """A fresh bucket on SeaweedFS and on moto (parametrised)."""
    return _bucket(any_s3, monkeypatch, tmp_path)


def write_config(tmp_path: Path, storage_url: str) -> Path:
    """A minimal newsvault config with its state (and spool) under ``tmp_path``."""
    path = tmp_path / "newsvault.toml"
    path.write_text(
        f"""
[storage]
url = "{storage_url}"

[state]
dir = "{tmp_path / "state"}"

[sources.x]
name = "Example"
allowed_domains = ["example.org"]
article_pattern = "/news/"
start_urls = ["https://example.org/"]
""",
        encoding="utf-8",
    )
    return path
