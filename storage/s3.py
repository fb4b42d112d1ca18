"""``s3://BUCKET/PREFIX`` backend: the archive in an S3-compatible bucket.

Works against AWS, SeaweedFS and moto. Publishing is exactly-once: every write
is conditional (``If-None-Match: *``) and carries the file's sha256 as object
metadata, so a second publish of the same file is recognised and a different
file under the same key is refused.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from storage.base import ConflictError, ObjectInfo, StoreError, StoreUnusable
from storage.keys import UnsafeKeyError, safe_key
from storage.s3_client import (
    MIB,
    NOT_FOUND,
    PRECONDITION_FAILED,
    S3Options,
    error_code,
    make_client,
    redact,
    translated,
)
from storage.s3_multipart import MultipartUpload, file_md5

logger = logging.getLogger(__name__)


# Answers to HEAD bucket that no retry will change.
PERMANENT_ERRORS = frozenset(
    {
        "404",
        "NoSuchBucket",
        "403",
        "AccessDenied",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "400",
        "InvalidBucketName",
    }
)


class S3Store:
    def __init__(
        self, bucket: str, prefix: str = "", options: S3Options | None = None, client: Any = None
    ) -> None:
        self.bucket = bucket
        self.prefix = safe_key(prefix.strip("/")) if prefix.strip("/") else ""
        self.options = options or S3Options()
        self.client = client if client is not None else make_client(self.options)
        self.url = f"s3://{bucket}/{self.prefix}"

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        parsed = urlparse(url)
        if "@" in parsed.netloc:
            # Never echo it: whatever precedes the "@" is probably a secret.
            raise StoreError(
                "credentials do not belong in the storage URL: use the AWS environment "
                "variables or a profile"
            )
        if parsed.scheme != "s3" or not parsed.netloc:
            raise StoreError(f"not an s3://BUCKET/PREFIX URL: {url!r}")
        try:
            options = S3Options.from_query(parse_qs(parsed.query, keep_blank_values=True))
            return cls(parsed.netloc, unquote(parsed.path), options)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"invalid s3 storage URL {url!r}: {exc}") from None

    def check(self) -> None:
        """Tell a wrong bucket, credentials or endpoint from a passing outage."""
        endpoint = urlparse(self.client.meta.endpoint_url)
        try:
            socket.getaddrinfo(endpoint.hostname or "", endpoint.port or 443)
        except (OSError, UnicodeError):
            raise StoreUnusable(
                f"storage endpoint {endpoint.hostname!r} does not resolve"
            ) from None
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except NoCredentialsError:
            raise StoreUnusable(
                "no S3 credentials found in the AWS environment or profiles"
            ) from None
        except ClientError as exc:
            code = error_code(exc)
            if code in PERMANENT_ERRORS:
                raise StoreUnusable(f"bucket {self.bucket!r}: {code}") from None
            raise StoreError(f"bucket {self.bucket!r} unavailable: {code}") from None
        except BotoCoreError as exc:
            raise StoreError(redact(f"storage unreachable: {exc}")) from None

    def _name(self, key: str) -> str:
        key = safe_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _where(self, name: str) -> str:
        return f"s3://{self.bucket}/{name}"

    def put(self, key: str, path: Path, sha256: str) -> bool:
        name = self._name(key)
        large = path.stat().st_size > self.options.multipart_threshold
        # A large upload is expensive: look first instead of learning at the end.
        if large and self.exists(key) is not None:
            return self._same(key, sha256)
        with translated("upload", self._where(name)):
            try:
                if large:
                    upload = MultipartUpload(self.client, self.bucket, name)
                    upload.put(path, sha256, self.options.part_size)
                else:
                    self._put_single(name, path, sha256)
                written = True
            except ClientError as exc:
                if error_code(exc) not in PRECONDITION_FAILED:
                    raise
                written = False  # someone (maybe our own earlier attempt) was first
        if not written:
            return self._same(key, sha256)
        logger.debug("uploaded %s", self._where(name))
        return True

    def _put_single(self, name: str, path: Path, sha256: str) -> None:
        with path.open("rb") as body:
            md5 = file_md5(body)
            self.client.put_object(
                Bucket=self.bucket,
                Key=name,
                Body=body,
                ContentMD5=md5,
                IfNoneMatch="*",
                Metadata={"sha256": sha256},
            )

    def _same(self, key: str, sha256: str) -> bool:
        info = self.exists(key)
        if info is None:
            raise StoreError(f"{key}: reported as existing, but not found")
        remote = info.sha256 or self._hash(key)
        if remote != sha256:
            raise ConflictError(f"{key}: a different object is already archived")
        return False

    def _hash(self, key: str) -> str:
        """sha256 of an object written by another tool, without our metadata."""
        digest = hashlib.sha256()
        for chunk in self._stream(key):
            digest.update(chunk)
        return digest.hexdigest()

    def _stream(self, key: str, **extra: str) -> Iterator[bytes]:
        name = self._name(key)
        with translated("download", self._where(name)):
            response = self.client.get_object(Bucket=self.bucket, Key=name, **extra)
            yield from response["Body"].iter_chunks(MIB)

    def get(self, key: str) -> bytes:
        return b"".join(self._stream(key))

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        if length <= 0:
            return b""
        return b"".join(self._stream(key, Range=f"bytes={offset}-{offset + length - 1}"))

    def download(self, key: str, dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.partial")
        try:
            with tmp.open("wb") as fh:
                for chunk in self._stream(key):
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        if prefix:
            try:
                safe_key(prefix.removesuffix("/"))
            except UnsafeKeyError as exc:
                raise StoreError(str(exc)) from None
        root = f"{self.prefix}/" if self.prefix else ""
        paginator = self.client.get_paginator("list_objects_v2")
        with translated("list", self._where(root + prefix)):
            for page in paginator.paginate(Bucket=self.bucket, Prefix=root + prefix):
                for item in page.get("Contents", []):
                    yield ObjectInfo(key=item["Key"][len(root) :], size=int(item["Size"]))

    def exists(self, key: str) -> ObjectInfo | None:
        name = self._name(key)
        with translated("check", self._where(name)):
            try:
                head = self.client.head_object(Bucket=self.bucket, Key=name)
            except ClientError as exc:
                if error_code(exc) in NOT_FOUND:
                    return None
                raise
        sha256 = head.get("Metadata", {}).get("sha256")
        return ObjectInfo(key=key, size=int(head["ContentLength"]), sha256=sha256)
