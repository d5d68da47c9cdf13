"""S3 helpers for the backend: URIs, ranged reads, transfers with progress, prefixes."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig

from ...exceptions import AutopilotError, InvalidDataset, InvalidRequest, NotFound
from .errors import translate
from .session import AwsSession

#: Managed transfers: multipart above 64 MiB, 4 threads per file.
TRANSFER_CONFIG = TransferConfig(
    multipart_threshold=64 * 1024**2, multipart_chunksize=16 * 1024**2, max_concurrency=4
)


def parse_s3_uri(uri: str, *, what: str = "S3 URI") -> tuple[str, str]:
    """`s3://bucket/key` -> (bucket, key); InvalidRequest for anything else."""
    if not uri.startswith("s3://"):
        raise InvalidRequest(
            f"The {what} {uri!r} must start with s3:// (for example s3://my-bucket/data/train.csv)."
        )
    rest = uri[5:]
    bucket, _, key = rest.partition("/")
    if not bucket:
        raise InvalidRequest(f"The {what} {uri!r} has no bucket name.")
    return bucket, key


def s3_uri(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{key}"


def join_key(*parts: str) -> str:
    """Join key parts with single slashes (empty parts dropped)."""
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))


def first_object(aws: AwsSession, bucket: str, key: str) -> tuple[str, int]:
    """The object at `key`, or the first object under the prefix `key` (an S3Prefix input)."""
    s3 = aws.client("s3")
    if key and not key.endswith("/"):
        try:
            head = s3.head_object(Bucket=bucket, Key=key)
            return key, int(head["ContentLength"])
        except Exception as exc:
            error = translate(exc, f"read s3://{bucket}/{key}", region=aws.region_or_none)
            if not isinstance(error, NotFound):
                raise error from exc
    prefix = key if not key or key.endswith("/") else key + "/"
    try:
        page = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=50)
    except Exception as exc:
        raise translate(exc, f"list s3://{bucket}/{prefix}", region=aws.region_or_none) from exc
    for item in page.get("Contents", []):
        if not item["Key"].endswith("/") and item.get("Size", 0) > 0:
            return item["Key"], int(item["Size"])
    raise InvalidDataset(
        f"There is no data at s3://{bucket}/{key}. Check the URI, or upload the file first "
        "(the dataset panel's Upload to S3 action)."
    )


def read_head(aws: AwsSession, bucket: str, key: str, max_bytes: int) -> tuple[bytes, int]:
    """The first `max_bytes` of an object (one ranged GET) and its total size."""
    try:
        response = aws.client("s3").get_object(
            Bucket=bucket, Key=key, Range=f"bytes=0-{max_bytes - 1}"
        )
        data = response["Body"].read()
    except Exception as exc:
        raise translate(exc, f"read s3://{bucket}/{key}", region=aws.region_or_none) from exc
    total = len(data)
    content_range = response.get("ContentRange") or ""
    if "/" in content_range:
        try:
            total = int(content_range.rsplit("/", 1)[1])
        except ValueError:
            pass
    elif response.get("ContentLength") is not None:
        total = max(total, int(response["ContentLength"]))
    return data, total


class ProgressLogger:
    """boto3 transfer callback: logs every 10 %."""

    def __init__(self, log: logging.Logger, label: str, total: int):
        self.log = log
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self._next_report = 10
        self._lock = threading.Lock()

    def __call__(self, amount: int) -> None:
        # Called from transfer threads: keep it cheap and thread-safe.
        with self._lock:
            self.done += amount
            percent = self.done * 100 // self.total
            report = percent >= self._next_report
            if report:
                self._next_report = (percent // 10 + 1) * 10
        if report:
            self.log.info(
                "Uploading %s: %d%% (%d of %d bytes)", self.label, percent, self.done, self.total
            )


def upload_file(
    aws: AwsSession,
    path: Path,
    bucket: str,
    key: str,
    *,
    content_type: str | None = None,
) -> None:
    """Upload with boto3's managed transfer (multipart for big files), logging progress."""
    size = path.stat().st_size
    extra: dict[str, Any] = {"ContentType": content_type} if content_type else {}
    if aws.dry_run:
        params = {"Bucket": bucket, "Key": key, "ContentLength": size, **extra}
        aws.recorder.record("s3", "PutObject", params)
        return
    progress = ProgressLogger(aws.log, s3_uri(bucket, key), size)
    try:
        aws.client("s3").upload_file(
            str(path),
            bucket,
            key,
            ExtraArgs=extra or None,
            Callback=progress,
            Config=TRANSFER_CONFIG,
        )
    except Exception as exc:
        raise translate(
            exc, f"upload {path.name} to s3://{bucket}/{key}", region=aws.region_or_none
        ) from exc


def download_file(aws: AwsSession, bucket: str, key: str, dest: Path) -> None:
    """Download one object to `dest` (atomically: via a temporary name)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        aws.client("s3").download_file(bucket, key, str(tmp), Config=TRANSFER_CONFIG)
        tmp.replace(dest)
    except AutopilotError:
        raise
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise translate(exc, f"download s3://{bucket}/{key}", region=aws.region_or_none) from exc


def list_objects(
    aws: AwsSession, bucket: str, prefix: str, *, limit: int = 1000
) -> list[dict[str, Any]]:
    """Objects under a prefix (Key, Size), up to `limit`."""
    s3 = aws.client("s3")
    items: list[dict[str, Any]] = []
    token: str | None = None
    try:
        while len(items) < limit:
            params: dict[str, Any] = {
                "Bucket": bucket,
                "Prefix": prefix,
                "MaxKeys": min(1000, limit - len(items)),
            }
            if token:
                params["ContinuationToken"] = token
            page = s3.list_objects_v2(**params)
            items.extend(
                {"Key": o["Key"], "Size": int(o.get("Size", 0))} for o in page.get("Contents", [])
            )
            token = page.get("NextContinuationToken")
            if not token:
                break
    except Exception as exc:
        raise translate(exc, f"list s3://{bucket}/{prefix}", region=aws.region_or_none) from exc
    return items


def delete_prefix(aws: AwsSession, bucket: str, prefix: str) -> int:
    """Delete every object under `prefix`; returns how many were (or would be) deleted."""
    if not prefix or not prefix.strip("/"):
        # Never empty a whole bucket by accident.
        raise InvalidRequest(f"Refusing to delete everything in the bucket {bucket}.")
    objects = list_objects(aws, bucket, prefix, limit=100000)
    for start in range(0, len(objects), 1000):
        batch = [{"Key": o["Key"]} for o in objects[start : start + 1000]]
        response = aws.call_sync(
            "s3",
            "DeleteObjects",
            f"delete objects under s3://{bucket}/{prefix}",
            Bucket=bucket,
            Delete={"Objects": batch, "Quiet": True},
        )
        errors = response.get("Errors") or []
        if errors:
            first = errors[0]
            raise InvalidRequest(
                f"Could not delete {len(errors)} objects under s3://{bucket}/{prefix}: "
                f"{first.get('Code')}: {first.get('Message')}"
            )
    return len(objects)
