"""Dataset preview (local files or the head of an S3 object) and upload to S3."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ...exceptions import InvalidDataset, NotImplementedByBackend, PayloadTooLarge
from ...models import (
    Budget,
    Compression,
    DatasetPreview,
    DatasetPreviewRequest,
    DatasetUploadRequest,
    DatasetUploadResponse,
    DataWarning,
    ExperimentSpec,
    SeriesPreview,
)
from ...paths import existing_file
from ..base import BackendContext
from . import s3
from .session import AwsSession

#: How much of an S3 object a preview reads (one ranged GET).
PREVIEW_BYTES = 4 * 1024**2
#: How much is read to find the header row of an input.
HEADER_BYTES = 256 * 1024
_DELIMITERS = ",;\t|"


def detect_delimiter(sample: str) -> str:
    """The most likely delimiter of a CSV sample among , ; tab and |."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _text(data: bytes, gzipped: bool) -> str:
    if gzipped:
        # A partial gzip stream decompresses fine up to where it was cut.
        data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
    return data.decode("utf-8", errors="replace")


def _engine_preview() -> Callable[..., Any]:
    try:
        from ...engine import preview_dataset
    except ImportError as exc:  # pragma: no cover - only while the engine is being built
        raise NotImplementedByBackend(
            "Dataset previews need jupyter_autopilot.engine.preview_dataset."
        ) from exc
    return preview_dataset


def _as_preview(value: Any) -> DatasetPreview:
    return value if isinstance(value, DatasetPreview) else DatasetPreview.model_validate(value)


def _series(path: Path, request: DatasetPreviewRequest) -> SeriesPreview | None:
    """The forecasting checks and plots of a preview that asks for them (the local
    engine's, as the local backend runs them)."""
    if request.forecast is None or request.target is None:
        return None
    from ...engine.forecasting.preview import preview_series

    return preview_series(path, request.target, request.forecast, request.delimiter)


def preview_sync(
    aws: AwsSession, context: BackendContext, request: DatasetPreviewRequest
) -> DatasetPreview:
    """Preview a file under the server root, or the first few MB of an S3 object."""
    preview_dataset = _engine_preview()
    if not request.uri.startswith("s3://"):
        path = existing_file(
            context.root_dir, request.uri, what="dataset path", work_dir=context.work_dir
        )
        local = _as_preview(
            preview_dataset(path, request.rows, request.delimiter, display_uri=request.uri)
        )
        return local.model_copy(update={"series": _series(path, request)})
    bucket, key = s3.parse_s3_uri(request.uri, what="dataset URI")
    with head_file(aws, bucket, key) as head:
        preview = _as_preview(
            preview_dataset(head.path, request.rows, request.delimiter, display_uri=head.uri)
        )
        # On the head only, like the statistics (the warning below says how much).
        preview = preview.model_copy(update={"series": _series(head.path, request)})
    warnings = list(preview.warnings)
    if head.truncated:
        warnings.append(
            f"Preview and statistics use the first {head.read / 1024**2:.0f} MB of "
            f"{head.total / 1024**2:.1f} MB read from S3."
        )
    return preview.model_copy(
        update={
            "uri": head.uri,
            "size_bytes": head.total or head.size,
            "compression": Compression.gzip if head.gzipped else Compression.none,
            "total_rows": None if head.truncated else preview.total_rows,
            "warnings": warnings,
        }
    )


@dataclass
class HeadFile:
    """The first part of an S3 object, as a local CSV file (decompressed, whole lines)."""

    path: Path
    uri: str
    gzipped: bool
    truncated: bool
    read: int
    total: int
    size: int


@contextmanager
def head_file(aws: AwsSession, bucket: str, key: str) -> Iterator[HeadFile]:
    """Download the first PREVIEW_BYTES of the (first) object at bucket/key to a temp file."""
    key, size = s3.first_object(aws, bucket, key)
    if key.lower().endswith((".parquet", ".pq")):
        raise InvalidDataset(
            "Previews of Parquet files are not supported yet; preview the CSV it came from."
        )
    data, total = s3.read_head(aws, bucket, key, PREVIEW_BYTES)
    gzipped = key.lower().endswith(".gz")
    truncated = total > len(data)
    text = _text(data, gzipped)
    if truncated:
        # Drop the last, probably cut, line.
        text = text[: text.rfind("\n") + 1] if "\n" in text else text
    name = PurePosixPath(key).name
    if gzipped:
        name = name[:-3]
    with tempfile.TemporaryDirectory(prefix="autopilot-head-") as tmp:
        path = Path(tmp) / (name or "data.csv")
        path.write_text(text, encoding="utf-8")
        yield HeadFile(path, s3.s3_uri(bucket, key), gzipped, truncated, len(data), total, size)


def sample_warnings_sync(
    aws: AwsSession, spec: ExperimentSpec, budget: Budget
) -> list[DataWarning]:
    """The local engine's data checks (leakage, imbalance...) on the head of the input,
    so the form can warn before money is spent. Bad data raises `InvalidDataset`."""
    from ...engine import JobConfig, validate_job

    bucket, key = resolve_data_object(aws, spec.input_uri, manifest=spec.manifest)
    with head_file(aws, bucket, key) as head:
        config = JobConfig.from_spec(spec, budget, data_path=head.path, output_dir=head.path.parent)
        warnings = validate_job(config)
    if head.truncated:
        note = f" (checked on the first {head.read / 1024**2:.0f} MB of the data)"
        warnings = [w.model_copy(update={"message": w.message + note}) for w in warnings]
    return warnings


def detect_frequency_sync(aws: AwsSession, spec: ExperimentSpec) -> str | None:
    """The frequency of a forecasting input, detected on the head of its (first) CSV
    object as the series preview does; None when it cannot be."""
    from ...engine.forecasting.preview import preview_series

    assert spec.forecast is not None
    bucket, key = resolve_data_object(aws, spec.input_uri, manifest=spec.manifest)
    with head_file(aws, bucket, key) as head:
        return preview_series(head.path, spec.target, spec.forecast, spec.delimiter).frequency


def resolve_data_object(aws: AwsSession, uri: str, *, manifest: bool) -> tuple[str, str]:
    """(bucket, key) of the first data object of an input: the object itself, the first
    object under a prefix, or the first file a manifest lists."""
    bucket, key = s3.parse_s3_uri(uri, what="input URI")
    if manifest:
        data, _ = s3.read_head(aws, bucket, key, 1024**2)
        try:
            entries = json.loads(data.decode("utf-8"))
            prefix = entries[0]["prefix"]
            first = entries[1]
        except (ValueError, LookupError, TypeError) as exc:
            raise InvalidDataset(
                f"The manifest {uri} is not a valid Autopilot manifest "
                '([{"prefix": "s3://bucket/prefix/"}, "file1.csv", ...]).'
            ) from exc
        bucket, key = s3.parse_s3_uri(prefix.rstrip("/") + "/" + first, what="manifest entry")
    key, _size = s3.first_object(aws, bucket, key)
    return bucket, key


def read_columns(aws: AwsSession, uri: str, *, manifest: bool) -> tuple[list[str], str, str] | None:
    """(header columns, delimiter, data key) of a CSV input on S3; None for Parquet."""
    bucket, key = resolve_data_object(aws, uri, manifest=manifest)
    if key.lower().endswith((".parquet", ".pq", ".parquet.gz")):
        return None
    data, _total = s3.read_head(aws, bucket, key, HEADER_BYTES)
    text = _text(data, key.lower().endswith(".gz"))
    lines = text.splitlines()
    if not lines:
        raise InvalidDataset(f"The input {uri} is empty.")
    delimiter = detect_delimiter("\n".join(lines[:20]))
    header = next(csv.reader(io.StringIO(lines[0]), delimiter=delimiter))
    return [h.strip() for h in header], delimiter, key


def convert_to_commas(source: Path, target: Path, delimiter: str) -> int:
    """Rewrite a CSV with another delimiter as comma-separated; returns the rows written."""
    rows = 0
    with (
        source.open(newline="", encoding="utf-8", errors="replace") as src,
        target.open("w", newline="", encoding="utf-8") as dst,
    ):
        writer = csv.writer(dst, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        for row in csv.reader(src, delimiter=delimiter):
            writer.writerow(row)
            rows += 1
    return rows


def upload_sync(
    aws: AwsSession,
    root: Path,
    request: DatasetUploadRequest,
    *,
    max_bytes: int,
    work_dir: Path,
) -> DatasetUploadResponse:
    """Upload a file under the server root to `s3://<bucket>/<key_prefix>/<file name>`.

    Autopilot reads comma-separated CSV only, so a CSV with another delimiter (the
    tutorial's bank-additional-full.csv uses ';') is converted to commas on the way
    and the response says so.
    """
    path = existing_file(root, request.path, what="file to upload", work_dir=work_dir)
    size = path.stat().st_size
    if size > max_bytes:
        raise PayloadTooLarge(
            f"{path.name} has {size / 1024**3:.1f} GB, more than the {max_bytes / 1024**3:.1f} GB "
            "this server uploads (SageMakerBackend.max_upload_bytes); copy it with "
            "`aws s3 cp` instead."
        )
    bucket = request.bucket or aws.ensure_bucket_sync()
    key = s3.join_key(request.key_prefix, path.name)
    warnings: list[str] = []
    lower = path.name.lower()
    content_type = "text/csv" if lower.endswith((".csv", ".txt", ".tsv")) else None
    with tempfile.TemporaryDirectory(prefix="autopilot-upload-") as tmp:
        upload_path = path
        if content_type:
            with path.open("r", encoding="utf-8", errors="replace") as fh:
                sample = fh.read(64 * 1024)
            delimiter = detect_delimiter(sample)
            if delimiter != ",":
                upload_path = Path(tmp) / path.name
                convert_to_commas(path, upload_path, delimiter)
                if lower.endswith(".tsv"):
                    key = key[:-4] + ".csv"
                shown = "tab" if delimiter == "\t" else repr(delimiter)
                warnings.append(
                    f"The file uses {shown} as delimiter; SageMaker Autopilot reads comma-separated "
                    "CSV, so the uploaded copy uses commas (your local file is unchanged)."
                )
        s3.upload_file(aws, upload_path, bucket, key, content_type=content_type)
        uploaded = upload_path.stat().st_size
    if aws.dry_run:
        warnings.append("Dry run: nothing was uploaded; the URI shows where the file would go.")
    return DatasetUploadResponse(uri=s3.s3_uri(bucket, key), size_bytes=uploaded, warnings=warnings)
