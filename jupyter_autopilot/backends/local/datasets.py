"""Dataset preview and upload for the local backend (files under the server root)."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from ... import models as m
from ...exceptions import InvalidDataset, InvalidRequest, NotFound
from ...paths import resolve_under_root, to_api_path


def existing_file(root: Path, user_path: str, what: str = "data file") -> Path:
    """Resolve a user path under the root and check it is a readable regular file."""
    if user_path.startswith("s3://"):
        raise InvalidRequest(
            f"{user_path!r} is an S3 URI, but this server runs the local backend: pick a CSV "
            "file from the Jupyter file browser instead (or start the server with "
            "--AutopilotApp.backend=sagemaker)."
        )
    path = resolve_under_root(root, user_path, what=what)
    if not path.exists():
        raise NotFound(f"The {what} {user_path!r} does not exist under the Jupyter server root.")
    if not path.is_file():
        raise InvalidDataset(f"The {what} {user_path!r} is a directory; choose a CSV file.")
    return path


def preview_file(
    path: Path, rows: int, delimiter: str | None, display_uri: str
) -> m.DatasetPreview:
    """Preview a CSV (runs in the CPU helper process: it parses the file)."""
    from ...engine import preview_dataset

    return preview_dataset(path, rows=rows, delimiter=delimiter, display_uri=display_uri)


def upload(
    root: Path, datasets_dir: Path, request: m.DatasetUploadRequest
) -> m.DatasetUploadResponse:
    """Copy a file into the work dir's datasets folder (the local analogue of S3 upload)."""
    source = existing_file(root, request.path)
    prefix = PurePosixPath(request.key_prefix.strip("/") or "input")
    if prefix.is_absolute() or ".." in prefix.parts:
        raise InvalidRequest("key_prefix must be a relative path without '..'.")
    target_dir = datasets_dir / prefix
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / source.name
    shutil.copyfile(source, target)
    return m.DatasetUploadResponse(uri=to_api_path(root, target), size_bytes=target.stat().st_size)
