"""Dataset preview and upload for the local backend (files under the server root)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ... import models as m
from ...exceptions import AutopilotError, InvalidDataset, InvalidRequest
from ...paths import copy_file, file_sha256, prepare_output, to_api_path
from ...paths import existing_file as existing_regular_file


def existing_file(root: Path, work_dir: Path, user_path: str, what: str = "data file") -> Path:
    """Resolve a user path under the root and check it is an existing regular file (and
    not the server's database)."""
    if user_path.startswith("s3://"):
        raise InvalidRequest(
            f"{user_path!r} is an S3 URI, but this server runs the local backend: pick a CSV "
            "file from the Jupyter file browser instead (or start the server with "
            "--AutopilotApp.backend=sagemaker)."
        )
    return existing_regular_file(root, user_path, what=what, work_dir=work_dir)


def validation_file(root: Path, work_dir: Path, user_path: str) -> Path:
    """Resolve the spec's `validation_file`: an existing regular file under the root. Every
    problem is a 400 naming the field (a missing file too: the request is what to fix)."""
    try:
        return existing_file(root, work_dir, user_path, what="validation file")
    except AutopilotError as error:
        if error.status_code >= 500:
            raise
        raise InvalidDataset(
            error.message, details=[{"field": "validation_file", "message": error.message}]
        ) from None


def preview_file(
    path: Path, rows: int, delimiter: str | None, display_uri: str
) -> m.DatasetPreview:
    """Preview a CSV (runs in the CPU helper process: it parses the file)."""
    from ...engine import preview_dataset

    return preview_dataset(path, rows=rows, delimiter=delimiter, display_uri=display_uri)


def preview_series_file(
    path: Path,
    target: str,
    forecast: m.ForecastSpec,
    delimiter: str | None,
    memory_limit_bytes: int | None,
) -> m.SeriesPreview:
    """Check a CSV as a forecasting dataset and plot a few items (runs in the CPU helper)."""
    from ...engine.forecasting.preview import preview_series

    return preview_series(path, target, forecast, delimiter, memory_limit_bytes)


def upload(
    root: Path, work_dir: Path, datasets_dir: Path, request: m.DatasetUploadRequest
) -> m.DatasetUploadResponse:
    """Copy a file into the work dir's datasets folder (the local analogue of S3 upload).

    A file already there with the same name is never replaced (an experiment may train
    on it): the same content is reused as is, different content gets a free name such
    as `data (1).csv`; the response names the file to use.
    """
    source = existing_file(root, work_dir, request.path)
    prefix = PurePosixPath(request.key_prefix.strip("/") or "input")
    if prefix.is_absolute() or ".." in prefix.parts:
        raise InvalidRequest("key_prefix must be a relative path without '..'.")
    target_dir = datasets_dir / prefix
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    warnings = []
    if target.is_file() and _same_content(source, target):
        warnings.append("This file was uploaded before; the existing copy is used.")
    else:
        checked = prepare_output(root, target, what="uploaded copy", exists="rename")
        target = copy_file(checked, source)
    return m.DatasetUploadResponse(
        uri=to_api_path(root, target), size_bytes=target.stat().st_size, warnings=warnings
    )


def _same_content(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return file_sha256(a) == file_sha256(b)
