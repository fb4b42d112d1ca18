"""Multipart upload for large files, never leaving an open upload behind.

Unfinished multipart uploads are invisible in listings but hold storage until
aborted, so every failure path aborts, and an upload a crashed process left for
the same key is aborted before a new one starts.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from botocore.exceptions import BotoCoreError, ClientError

from storage.s3_client import error_code

logger = logging.getLogger(__name__)
# Servers that do not know conditional completion say so with one of these.
_UNSUPPORTED = frozenset({"NotImplemented", "501", "InvalidArgument"})


def content_md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()


def file_md5(fh: BinaryIO) -> str:
    """Content-MD5 of an open file, read in blocks; leaves the file at its start."""
    digest = hashlib.md5(usedforsecurity=False)
    while block := fh.read(1 << 20):
        digest.update(block)
    fh.seek(0)
    return base64.b64encode(digest.digest()).decode()


@dataclass(frozen=True)
class MultipartUpload:
    """Multipart uploads of one object key."""

    client: Any
    bucket: str
    name: str

    def put(self, path: Path, sha256: str, part_size: int) -> None:
        """Upload ``path`` in parts; ClientError ``PreconditionFailed`` if the key exists."""
        self.abort_stale()
        upload_id = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=self.name, Metadata={"sha256": sha256}
        )["UploadId"]
        try:
            parts = self._upload_parts(upload_id, path, part_size)
            self._complete(upload_id, parts)
        except BaseException:
            self.abort(upload_id)
            raise

    def _upload_parts(self, upload_id: str, path: Path, part_size: int) -> list[dict[str, Any]]:
        parts: list[dict[str, Any]] = []
        with path.open("rb") as fh:
            while data := fh.read(part_size):
                number = len(parts) + 1
                response = self.client.upload_part(
                    Bucket=self.bucket,
                    Key=self.name,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=data,
                    ContentMD5=content_md5(data),
                )
                parts.append({"ETag": response["ETag"], "PartNumber": number})
                logger.debug("uploaded part %d of %s", number, self.name)
        return parts

    def _complete(self, upload_id: str, parts: list[dict[str, Any]]) -> None:
        request = {
            "Bucket": self.bucket,
            "Key": self.name,
            "UploadId": upload_id,
            "MultipartUpload": {"Parts": parts},
        }
        try:
            self.client.complete_multipart_upload(IfNoneMatch="*", **request)
        except ClientError as exc:
            if error_code(exc) not in _UNSUPPORTED:
                raise
            # No conditional completion here: the caller checked just before the
            # upload started, which leaves only a short window for a concurrent writer.
            logger.warning(
                "%s: server cannot complete conditionally, completing plainly", self.name
            )
            self.client.complete_multipart_upload(**request)

    def abort(self, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self.name, UploadId=upload_id
            )
        except (ClientError, BotoCoreError) as exc:
            # The next upload of this key aborts it (abort_stale); nothing is lost.
            logger.warning("could not abort the multipart upload of %s: %s", self.name, exc)

    def abort_stale(self) -> None:
        """Abort unfinished uploads of exactly this key (a crashed earlier publish)."""
        listing = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=self.name)
        for upload in listing.get("Uploads", []):
            if upload.get("Key") == self.name:
                logger.info("aborting an unfinished multipart upload of %s", self.name)
                self.abort(upload["UploadId"])
