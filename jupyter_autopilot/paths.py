"""Resolving user-given paths safely under the Jupyter server root."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from .exceptions import PathNotAllowed


def resolve_under_root(root: Path, user_path: str, *, what: str = "path") -> Path:
    """Turn a path from a request into an absolute path inside `root`.

    Accepts paths relative to the root (as JupyterLab's file browser shows them) and
    absolute paths that lie inside it. Rejects anything that escapes the root,
    including through `..` or a symlink, so the API never reads or writes files the
    Jupyter server itself would not serve.
    """
    if not user_path or "\x00" in user_path:
        raise PathNotAllowed(f"The {what} is empty or contains a NUL byte.")
    if user_path.startswith(("s3://", "http://", "https://", "file:")):
        raise PathNotAllowed(
            f"The {what} {user_path!r} is a URI; give a path relative to the Jupyter server root."
        )
    if len(user_path) > 4096 or any(len(part) > 255 for part in PurePosixPath(user_path).parts):
        raise PathNotAllowed(
            f"The {what} is too long: file names are limited to 255 characters and paths to 4096."
        )
    root = root.resolve()
    candidate = Path(user_path)
    if not candidate.is_absolute():
        candidate = root / PurePosixPath(user_path.lstrip("/"))
    resolved = Path(os.path.realpath(candidate))
    try:
        resolved.relative_to(root)
    except ValueError:
        raise PathNotAllowed(
            f"The {what} {user_path!r} is outside the Jupyter server root; "
            "use a file inside the folder JupyterLab shows."
        ) from None
    return resolved


def to_api_path(root: Path, path: Path) -> str:
    """The root-relative POSIX path JupyterLab's file browser and `docmanager` use."""
    return Path(os.path.realpath(path)).relative_to(root.resolve()).as_posix()
