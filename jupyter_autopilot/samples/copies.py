"""Copying a sample's CSV under the Jupyter server root without touching a user's files.

`copy_sample` picks the folder, then the first name that is free or already holds an
identical copy (`bank-additional-full.csv`, `bank-additional-full (1).csv`, ...). The
writing goes through the one write policy of `..paths` and only ever creates files:
whatever is at a name already stays as it is.
"""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import AutopilotError, Conflict, InvalidRequest, PathNotAllowed, PermissionDenied
from ..paths import inside_work_dir, numbered_name, prepare_output, resolve_under_root
from . import Sample, get_sample

#: Give up looking for a free name after this many numbered copies.
MAX_COPIES = 100
_CHUNK = 1024 * 1024
#: Copies made by this server one at a time: on a file system without hard links a
#: name is claimed by an empty placeholder before the file moves in, and a concurrent
#: copy must not take that placeholder for someone else's file.
_COPYING = threading.Lock()


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
    return copy_into(target_dir, sample, root)


def copy_into(folder: Path, sample: Sample, root: Path | None = None) -> CopiedSample:
    """Put the sample's CSV in the existing `folder`, reusing a byte-identical copy there.

    Tries `name.csv`, `name (1).csv`, ...: the first name that holds an identical copy is
    reused, the first free one gets a new file; files with other content, symlinks and
    special files are left alone. `root` (default: `folder`) is what names in messages
    are relative to. Written through the write policy in `paths`: a hidden temporary file
    published under the free name only, so a concurrent copy never sees half a file.
    """
    data = sample.read_csv()
    root = root or folder
    with _COPYING:
        return _copy_locked(folder, sample, root, data)


def _copy_locked(folder: Path, sample: Sample, root: Path, data: bytes) -> CopiedSample:
    for n in range(MAX_COPIES + 1):
        path = folder / (sample.file_name if n == 0 else numbered_name(sample.file_name, n))
        if _same_content(path, data):
            return CopiedSample(path, created=False, size_bytes=len(data))
        if os.path.lexists(path):
            continue
        if _write_new(root, path, data):
            return CopiedSample(path, created=True, size_bytes=len(data))
        # Taken just now, perhaps by a concurrent copy of the same sample (published whole).
        if _same_content(path, data):
            return CopiedSample(path, created=False, size_bytes=len(data))
    raise Conflict(
        f"The folder {folder.name!r} already holds {MAX_COPIES + 1} files named like "
        f"{sample.file_name!r} with other content; give another folder."
    )


def _write_new(root: Path, path: Path, data: bytes) -> bool:
    """Create `path` holding `data`; False (nothing written) when the name got taken."""
    try:
        target = prepare_output(root, path, what="sample file", exists="refuse")
    except (Conflict, InvalidRequest):
        return False  # something appeared under that name since we looked
    try:
        with target.writer() as out:
            assert out.file is not None
            out.file.write(data)
            return out.commit_new() is not None
    except PermissionError:
        raise PermissionDenied(
            f"The Jupyter server may not write in the folder {path.parent.name!r}; choose "
            "another one."
        ) from None
    except OSError as error:
        raise AutopilotError(f"Could not write {path.name}: {error.strerror or error}.") from None


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
    if inside_work_dir(path, root, work_dir):
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
