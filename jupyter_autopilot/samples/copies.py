"""Copying a sample's CSV under the Jupyter server root without touching a user's files.

`copy_sample` picks the folder, then the first name that is free or already holds an
identical copy (`bank-additional-full.csv`, `bank-additional-full (1).csv`, ...). The
writing itself is `write_new_file`, which only ever creates files: whatever is at a
name already stays as it is.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import AutopilotError, Conflict, InvalidRequest, PathNotAllowed, PermissionDenied
from ..paths import resolve_under_root
from . import Sample, get_sample

#: Give up looking for a free name after this many numbered copies.
MAX_COPIES = 100
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class CopiedSample:
    path: Path
    created: bool
    size_bytes: int


def copy_sample(root: Path, work_dir: Path, name: str, folder: str | None) -> CopiedSample:
    """Put sample `name`'s CSV in `folder` under the server root (None: the sample's
    default folder, '': the root itself); see `copy_into`.

    Blocking (reads the archive, writes a few MB): call it in a thread.
    """
    sample = get_sample(name)
    target_dir = writable_folder(
        root, work_dir, sample.default_folder if folder is None else folder
    )
    return copy_into(target_dir, sample)


def copy_into(folder: Path, sample: Sample) -> CopiedSample:
    """Put the sample's CSV in the existing `folder`, reusing a byte-identical copy there.

    Tries `name.csv`, `name (1).csv`, ...: the first name that holds an identical copy is
    reused, the first free one gets a new file; files with other content are left alone.
    """
    data = sample.read_csv()
    for candidate in numbered_names(sample.file_name, MAX_COPIES):
        path = folder / candidate
        if not os.path.lexists(path) and write_new_file(path, data):
            return CopiedSample(path, created=True, size_bytes=len(data))
        # Taken, perhaps just now by a concurrent copy (written whole: see write_new_file).
        if _same_content(path, data):
            return CopiedSample(path, created=False, size_bytes=len(data))
    raise Conflict(
        f"The folder {folder.name!r} already holds {MAX_COPIES + 1} files named like "
        f"{sample.file_name!r} with other content; give another folder."
    )


def writable_folder(root: Path, work_dir: Path, folder: str) -> Path:
    """The folder `folder` (root-relative) as an absolute path, created if missing.

    This is where the write-path rules of this route live: inside the server root,
    visible in JupyterLab (no hidden folder), and never inside the Autopilot work dir,
    whose files the backend owns.
    """
    if "\x00" in folder:
        raise PathNotAllowed("The folder contains a NUL byte.")
    try:
        os.fsencode(folder)
    except UnicodeError:
        raise PathNotAllowed(
            "The folder name cannot be encoded for this file system; use another name."
        ) from None
    path = resolve_under_root(root, folder or ".", what="folder")
    root = root.resolve()
    relative = path.relative_to(root)
    hidden = [part for part in relative.parts if part.startswith(".")]
    if hidden:
        raise PathNotAllowed(
            f"The folder {folder!r} is hidden ({hidden[0]!r} starts with a dot), so JupyterLab "
            "would not show the file; choose a visible folder."
        )
    work = Path(os.path.realpath(work_dir))
    if path == work or work in path.parents:
        raise PathNotAllowed(
            f"The folder {folder!r} is inside the Autopilot work dir, whose files the "
            "backend manages; choose a folder outside it."
        )
    if path.exists() and not path.is_dir():
        raise InvalidRequest(f"{folder!r} is a file, not a folder; give a folder.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InvalidRequest(
            f"Part of {folder!r} is a file, not a folder; give a folder path."
        ) from None
    except PermissionError:
        raise PermissionDenied(
            f"The Jupyter server may not create the folder {folder!r}; choose another one."
        ) from None
    return path


def numbered_names(file_name: str, count: int) -> list[str]:
    """`name.csv`, then `name (1).csv` ... `name (count).csv` (`.csv.gz` stays whole)."""
    stem, ext = os.path.splitext(file_name)
    if ext == ".gz":
        stem, inner = os.path.splitext(stem)
        ext = inner + ext
    return [file_name] + [f"{stem} ({n}){ext}" for n in range(1, count + 1)]


def write_new_file(path: Path, data: bytes) -> bool:
    """Create `path` holding `data`; False (and nothing written) when the name is taken.

    Never replaces, truncates or follows an existing file or symlink. The bytes go to a
    hidden temporary file created with O_EXCL first and are hard-linked to `path` in one
    step (which fails when the name is taken), so no one sees a half-written file under
    that name; on file systems without hard links the file is created with O_EXCL.
    """
    folder = path.parent
    temporary = folder / f".{path.name}.{secrets.token_hex(6)}.part"
    made = False  # only ever remove the temporary file this call created
    try:
        _write_exclusive(temporary, data)
        made = True
        try:
            os.link(temporary, path, follow_symlinks=False)
            return True
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
        try:
            _write_exclusive(path, data)
            return True
        except FileExistsError:
            return False
    except PermissionError:
        raise PermissionDenied(
            f"The Jupyter server may not write in the folder {folder.name!r}; choose another one."
        ) from None
    except OSError as error:
        raise AutopilotError(f"Could not write {path.name}: {error.strerror or error}.") from None
    finally:
        if made:
            temporary.unlink(missing_ok=True)


def _write_exclusive(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _same_content(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file (not a symlink) holding exactly `data`."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        return False
    offset = 0
    try:
        with path.open("rb") as existing:
            while chunk := existing.read(_CHUNK):
                if chunk != data[offset : offset + len(chunk)]:
                    return False
                offset += len(chunk)
    except OSError:
        return False  # unreadable: not a copy we can vouch for; another name is used
    return offset == len(data)
