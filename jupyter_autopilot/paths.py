"""Paths from requests: reading safely under the Jupyter server root, and the one policy
for every file the API writes there.

Reading: `resolve_under_root` keeps a request inside the root; `existing_file` also
insists on a regular file (a FIFO would block the reader forever).

Writing (`resolve_output_path`, then `OutputTarget.writer()`): a route that writes a
file a user chose, or will see, checks the path *before* it answers, and the write
itself can never leave half a file or replace a file it was not allowed to:

- user-chosen outputs never point into the Autopilot work dir (its database, models
  and notebooks), not even with `overwrite`;
- an existing folder, a missing or non-folder parent, a FIFO or device, and the
  request's own input file (the same inode, so also through a hard link or symlink)
  are refused with a 400 that says what to do;
- an existing file is replaced only when the request asks (`exists="replace"`, from an
  `overwrite: true` field); otherwise it is a 409 (`exists="refuse"`), or a free name
  such as `data (1).csv` is picked (`exists="rename"`, for copies like a sample dataset);
- the data goes to a hidden temporary file in the target's folder and is published at
  the end: without `replace` by a hard link, which fails rather than clobber a file that
  appeared since the check (a free name is taken then, and returned); with `replace`
  by an atomic `rename` after checking the target again. A crash leaves at worst a
  hidden `.~name.*.tmp` file, never a torn file under a good one's name.

A new route that writes under the root calls `resolve_output_path` (user-chosen path)
or `prepare_output` (a location the backend picks) in a thread, then writes through
`target.writer()` or `copy_file(target, source)`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Literal

from .exceptions import Conflict, InvalidDataset, InvalidRequest, NotFound, PathNotAllowed

#: The work dir's folder for the server's own state (the local backend's SQLite database).
STATE_FOLDER = ".state"
#: What to do when the output file exists: 409, replace it, or pick a free name.
Exists = Literal["refuse", "replace", "rename"]
#: Most free names tried by `exists="rename"` ("name (1).csv" ... "name (999).csv").
MAX_RENAMES = 999
#: Compression suffixes kept with the suffix before them when numbering a name.
_COMPRESSED = (".gz", ".bz2", ".xz", ".zip")


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
    """The root-relative POSIX path JupyterLab's file browser and `docmanager` use.

    Raises `ValueError` for a path outside the root."""
    relative = Path(os.path.realpath(path)).relative_to(root.resolve()).as_posix()
    return relative


def api_path_or_none(root: Path, path: Path) -> str | None:
    """`to_api_path`, or None for a path outside the root (never an absolute path)."""
    try:
        return to_api_path(root, path)
    except ValueError:
        return None


def display_path(root: Path, path: Path, work_dir: Path | None = None) -> str:
    """How a response names a file: relative to the root, as JupyterLab shows it. A file
    outside the root (a work dir configured elsewhere) is named `<work dir>/...`; an
    absolute server path is never given out."""
    shown = api_path_or_none(root, path)
    if shown is not None:
        return shown
    if work_dir is not None:
        try:
            relative = Path(os.path.realpath(path)).relative_to(os.path.realpath(work_dir))
        except ValueError:
            pass
        else:
            return f"<work dir>/{relative.as_posix()}".rstrip("/.")
    return Path(path).name


def scrub_paths(text: str, root: Path, work_dir: Path | None = None) -> str:
    """A message with absolute server paths taken out: files under the root are named
    relative to it, as JupyterLab shows them, and files of a work dir outside the root
    as `<work dir>/...` (messages of pandas, the OS and model servers quote absolute
    paths)."""
    folders = [(root, ".")] + ([(work_dir, "<work dir>")] if work_dir is not None else [])
    for folder, name in folders:
        assert folder is not None
        inside = "" if name == "." else name + "/"

        def replace(found: re.Match[str], name: str = name, inside: str = inside) -> str:
            return inside if found.group().endswith("/") else name

        for prefix in sorted({str(folder), os.path.realpath(folder)}, key=len, reverse=True):
            prefix = prefix.rstrip("/")
            if prefix:
                # The folder itself, or a path in it; not a longer name that starts the same.
                pattern = re.compile(re.escape(prefix) + r"(?:/|(?![\w~-]|\.\w))")
                text = pattern.sub(replace, text)
    return text


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (for messages)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def existing_file(
    root: Path, user_path: str, *, what: str = "data file", work_dir: Path | None = None
) -> Path:
    """A path from a request that must name an existing regular file under the root.

    404 when it does not exist; 400 for a folder, and for a FIFO, socket or device,
    which are never opened (reading a FIFO blocks until someone writes to it). With
    `work_dir`, also 400 for the server's own state (its SQLite database), by name or
    through a link: opening and closing that file in the server process would drop
    SQLite's locks on it and can corrupt the database.
    """
    path = resolve_under_root(root, user_path, what=what)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise NotFound(
            f"The {what} {user_path!r} does not exist under the Jupyter server root."
        ) from None
    except OSError as error:
        raise InvalidDataset(
            f"The {what} {user_path!r} cannot be read ({error.strerror}); check its permissions."
        ) from None
    if stat.S_ISDIR(mode):
        raise InvalidDataset(f"The {what} {user_path!r} is a folder; choose a CSV file in it.")
    if not stat.S_ISREG(mode):
        raise InvalidDataset(
            f"The {what} {user_path!r} is {file_kind(mode)}, not a regular file; save the data "
            "to a file and choose that file."
        )
    if work_dir is not None and is_server_state(path, work_dir):
        raise PathNotAllowed(
            f"The {what} {user_path!r} is the Autopilot database (in the work dir's "
            f"{STATE_FOLDER} folder, or a link to it); the API never reads it. Choose a data file."
        )
    return path


def is_server_state(path: Path, work_dir: Path) -> bool:
    """Whether `path` is in the work dir's state folder or another name of a file there."""
    state = Path(os.path.realpath(work_dir)) / STATE_FOLDER
    resolved = Path(os.path.realpath(path))
    if resolved == state or state in resolved.parents:
        return True
    try:
        state_ids = {file_id(entry) for entry in state.iterdir()}
        return file_id(path) in state_ids
    except OSError:
        return False


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_id(path: Path | str | int) -> tuple[int, int]:
    """(device, inode) of a file: the same for every name of it (hard links, symlinks)."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


def numbered_name(name: str, n: int) -> str:
    """`data.csv` -> `data (1).csv`; `model.tar.gz` -> `model (1).tar.gz`."""
    path = PurePosixPath(name)
    suffixes = path.suffixes[-2:] if path.suffix in _COMPRESSED else path.suffixes[-1:]
    suffix = "".join(suffixes)
    if len(suffix) >= len(name):  # a dot-file like ".env"
        suffix = ""
    return f"{name[: len(name) - len(suffix)]} ({n}){suffix}"


@dataclass(frozen=True)
class OutputTarget:
    """A checked place to write one file; write through `writer()` or `copy_file`."""

    path: Path
    exists: Exists
    #: How the request named it (root-relative), for messages.
    shown: str
    what: str
    #: (device, inode) of the folder checked; the write happens in that very folder.
    folder_id: tuple[int, int]
    #: Files that must never be replaced (the request's inputs), as (device, inode).
    protected: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def writer(self) -> OutputWriter:
        return OutputWriter(self)


def _folder_chain_ids(folder: Path, stop: Path) -> Iterator[tuple[int, int]]:
    """(device, inode) of `folder` and each parent up to `stop` (or the file system root)."""
    current = folder
    while True:
        try:
            yield file_id(current)
        except OSError:
            pass  # not created yet: its parents still count
        if current == stop or current.parent == current:
            return
        current = current.parent


def inside_work_dir(path: Path, root: Path, work_dir: Path) -> bool:
    """Whether `path` is the work dir, or `path`'s folder is the work dir or inside it, by name or by identity
    (a bind mount or a second path to the same folder)."""
    work = Path(os.path.realpath(work_dir))
    if path == work or work in path.parents:
        return True
    try:
        work_id = file_id(work)
    except OSError:
        return False
    return work_id in set(_folder_chain_ids(path.parent, root.resolve()))


def prepare_output(
    root: Path,
    path: Path,
    *,
    what: str,
    exists: Exists = "refuse",
    inputs: Iterable[Path] = (),
    shown: str | None = None,
) -> OutputTarget:
    """Check an absolute output location (resolved, under the root or the work dir)
    and return where to write. Raises 400 for folders, missing parents, special files
    and inputs, 409 for an existing file with `exists="refuse"`."""
    shown = shown or (api_path_or_none(root, path) or path.name)
    folder = path.parent
    try:
        folder_mode = folder.stat().st_mode
    except FileNotFoundError:
        folder_shown = api_path_or_none(root, folder) or folder.name
        raise InvalidRequest(
            f"The folder {folder_shown!r} for the {what} {shown!r} does not exist; create it "
            "first (New Folder in the file browser) or choose an existing folder."
        ) from None
    except OSError as error:
        raise InvalidRequest(
            f"The {what} {shown!r} cannot be written there ({error.strerror}); choose "
            "another folder."
        ) from None
    if not stat.S_ISDIR(folder_mode):
        folder_shown = api_path_or_none(root, folder) or folder.name
        raise InvalidRequest(
            f"{folder_shown!r} is a file, so the {what} {shown!r} cannot be created in it; "
            "choose a path in an existing folder."
        )
    protected = frozenset(_ids_of_existing(inputs))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise InvalidRequest(
            f"The {what} {shown!r} cannot be checked ({error.strerror}); choose another name."
        ) from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise InvalidRequest(
                f"The {what} {shown!r} is an existing folder; give a file name in it, such "
                f"as {shown.rstrip('/') + '/' + _example_name(what)!r}."
            )
        if not stat.S_ISREG(info.st_mode):
            raise InvalidRequest(
                f"The {what} {shown!r} exists and is {file_kind(info.st_mode)}; choose another name."
            )
        if (info.st_dev, info.st_ino) in protected:
            raise InvalidRequest(
                f"The {what} {shown!r} is the input file itself (the same file, perhaps "
                "through a link); choose another output file."
            )
        if exists == "refuse":
            raise Conflict(
                f"The {what} {shown!r} already exists; choose another name, or set "
                "overwrite to true to replace it."
            )
    return OutputTarget(
        path=path,
        exists=exists,
        shown=shown,
        what=what,
        folder_id=file_id(folder),
        protected=protected,
    )


def _ids_of_existing(paths: Iterable[Path]) -> Iterator[tuple[int, int]]:
    for path in paths:
        try:
            yield file_id(path)
        except OSError:
            pass  # gone since it was checked: nothing to protect under that name


def _example_name(what: str) -> str:
    return "model.tar.gz" if "model" in what or "export" in what else "predictions.csv"


def resolve_output_path(
    root: Path,
    work_dir: Path,
    user_path: str,
    *,
    what: str = "output file",
    overwrite: bool = False,
    inputs: Iterable[Path] = (),
    exists: Exists | None = None,
) -> OutputTarget:
    """Check an output path a user chose (root-relative, as JupyterLab shows it).

    Beyond `prepare_output`'s checks, the path must stay under the root and out of the
    Autopilot work dir (even with `overwrite`). `overwrite` maps to `exists="replace"`;
    pass `exists="rename"` to get a free name instead of a 409.
    """
    path = resolve_under_root(root, user_path, what=what)
    shown = api_path_or_none(root, path) or user_path
    if inside_work_dir(path, root, work_dir):
        work_shown = api_path_or_none(root, work_dir) or "the work dir"
        raise PathNotAllowed(
            f"The {what} {user_path!r} is inside the Autopilot work dir {work_shown!r}, where "
            "the extension keeps its database, models and notebooks; choose a path outside "
            "that folder."
        )
    policy: Exists = exists or ("replace" if overwrite else "refuse")
    return prepare_output(root, path, what=what, exists=policy, inputs=inputs, shown=shown)


def _temporary_name(name: str, token: str) -> str:
    """The hidden name a file is written under before it is published as `name`."""
    return f".~{name[:200]}.{token}.tmp"


def remove_temporaries(path: Path) -> int:
    """Remove the temporary files a killed writer left for the output `path` (only names
    `OutputWriter` makes: `.~<name>.<8 hex digits>.tmp`, regular files). Call it only when
    no writer for `path` can be running (at start-up, for work the last server left
    unfinished). Returns how many were removed."""
    pattern = re.compile(
        re.escape(_temporary_name(path.name, "TOKEN")).replace("TOKEN", "[0-9a-f]{8}")
    )
    removed = 0
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return 0  # the folder is gone or unreadable: nothing we can clean
    for entry in entries:
        if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


class OutputWriter:
    """Writes a hidden temporary file next to the target, then publishes it (`commit`).

    Use as a context manager: `with target.writer() as out: out.file.write(...);
    final = out.commit()`. Leaving the block without `commit` (an error, a cancelled
    task) removes the temporary file; the target is untouched.
    """

    def __init__(self, target: OutputTarget):
        self.target = target
        self._folder_fd: int | None = None
        self._tmp_name: str | None = None
        self.file: BinaryIO | None = None

    def __enter__(self) -> OutputWriter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def open(self) -> BinaryIO:
        """Create the temporary file in the folder that was checked (refusing a folder
        that was swapped for another since), and return it for writing."""
        fd = os.open(self.target.path.parent, os.O_RDONLY | os.O_DIRECTORY)
        info = os.fstat(fd)
        if (info.st_dev, info.st_ino) != self.target.folder_id:
            os.close(fd)
            raise Conflict(
                f"The folder of the {self.target.what} {self.target.shown!r} changed while "
                "the file was being prepared; try again."
            )
        self._folder_fd = fd
        self._tmp_name = _temporary_name(self.target.path.name, uuid.uuid4().hex[:8])
        file_fd = os.open(
            self._tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666, dir_fd=fd
        )
        self.file = os.fdopen(file_fd, "wb")
        return self.file

    @property
    def temp_path(self) -> Path:
        """The temporary file's path, for a writer in another process (it writes by name)."""
        assert self._tmp_name is not None, "open() first"
        return self.target.path.parent / self._tmp_name

    def _close_file(self) -> None:
        assert self.file is not None and self._folder_fd is not None and self._tmp_name
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()

    def commit(self) -> Path:
        """Publish the file under its name (or a free one); returns the final path."""
        self._close_file()
        fd, tmp, target = self._folder_fd, self._tmp_name, self.target
        assert tmp is not None
        name = target.path.name
        if target.exists == "replace":
            self._check_replaceable(name)
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
            self._tmp_name = None
        else:
            name = self._publish_without_replacing(name)
        self.discard()
        return target.path.with_name(name)

    def commit_new(self) -> Path | None:
        """Publish the file under the target's own name only: None, and nothing
        published, when another file took that name since the check (the caller decides
        what to do, e.g. reuse an identical copy)."""
        self._close_file()
        published = self._link(self.target.path.name)
        self.discard()
        return self.target.path if published else None

    def _check_replaceable(self, name: str) -> None:
        """The target may have changed since the check: never replace a folder or an input."""
        assert self._folder_fd is not None
        try:
            info = os.stat(name, dir_fd=self._folder_fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        if stat.S_ISDIR(info.st_mode) or (info.st_dev, info.st_ino) in self.target.protected:
            raise Conflict(
                f"The {self.target.what} {self.target.shown!r} became a folder or the input "
                "file while it was written; nothing was replaced. Choose another output file."
            )

    def _publish_without_replacing(self, name: str) -> str:
        """Link the temporary file under `name`, or the first free numbered name when a
        file took `name` since the check (link() never replaces an existing entry)."""
        for n in range(MAX_RENAMES + 1):
            candidate = name if n == 0 else numbered_name(name, n)
            if self._link(candidate):
                return candidate
        raise Conflict(
            f"The {self.target.what} {self.target.shown!r} and {MAX_RENAMES} numbered "
            "variants of its name exist; choose another name."
        )

    def _link(self, candidate: str) -> bool:
        """Publish the temporary file as `candidate`; False when that name is taken.
        Never replaces an existing entry."""
        assert self._folder_fd is not None and self._tmp_name is not None
        fd, tmp = self._folder_fd, self._tmp_name
        try:
            os.link(tmp, candidate, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
        except FileExistsError:
            return False
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK):
                raise
            # A file system without hard links: claim the name with O_EXCL, then move the
            # complete file over our own empty placeholder.
            try:
                os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, dir_fd=fd))
            except FileExistsError:
                return False
            os.replace(tmp, candidate, src_dir_fd=fd, dst_dir_fd=fd)
            self._tmp_name = None
            return True
        os.unlink(tmp, dir_fd=fd)
        self._tmp_name = None
        return True

    def discard(self) -> None:
        """Remove the temporary file (if not published) and release the folder."""
        if self.file is not None and not self.file.closed:
            self.file.close()
        if self._folder_fd is not None:
            if self._tmp_name is not None:
                try:
                    os.unlink(self._tmp_name, dir_fd=self._folder_fd)
                except FileNotFoundError:
                    pass
                self._tmp_name = None
            os.close(self._folder_fd)
            self._folder_fd = None


def copy_file(target: OutputTarget, source: Path) -> Path:
    """Copy `source` to a checked target through the write policy; returns the final path."""
    with target.writer() as out, open(source, "rb") as src:
        assert out.file is not None
        shutil.copyfileobj(src, out.file, 1 << 20)
        return out.commit()
