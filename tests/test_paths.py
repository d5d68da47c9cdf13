"""The write policy of `jupyter_autopilot.paths` at the moment of writing: files that
appear, change or move between the check and the write are never clobbered."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from jupyter_autopilot.exceptions import Conflict, InvalidDataset, InvalidRequest, PathNotAllowed
from jupyter_autopilot.paths import (
    copy_file,
    display_path,
    existing_file,
    numbered_name,
    prepare_output,
    remove_temporaries,
    resolve_output_path,
    scrub_paths,
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "autopilot").mkdir()
    return tmp_path


def write(target, data: bytes) -> Path:
    with target.writer() as out:
        out.file.write(data)
        return out.commit()


def temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".~")]


def test_a_file_that_appears_after_the_check_is_kept_and_a_free_name_taken(root):
    target = resolve_output_path(root, root / "autopilot", "out.csv")
    (root / "out.csv").write_bytes(b"someone else's")
    (root / "out (1).csv").write_bytes(b"and another")
    final = write(target, b"ours")
    assert final == root / "out (2).csv" and final.read_bytes() == b"ours"
    assert (root / "out.csv").read_bytes() == b"someone else's"
    assert (root / "out (1).csv").read_bytes() == b"and another"
    assert temp_files(root) == []


def test_rename_policy_picks_a_free_name_at_once(root):
    (root / "bank.csv").write_bytes(b"old")
    target = resolve_output_path(root, root / "autopilot", "bank.csv", exists="rename")
    assert copy_file(target, root / "bank.csv") == root / "bank (1).csv"
    assert (root / "bank (1).csv").read_bytes() == b"old"


@pytest.mark.parametrize(
    ("name", "numbered"),
    [
        ("data.csv", "data (3).csv"),
        ("model.tar.gz", "model (3).tar.gz"),
        ("my.data.csv", "my.data (3).csv"),
        ("README", "README (3)"),
        (".env", ".env (3)"),
    ],
)
def test_numbered_names_keep_the_extension(name, numbered):
    assert numbered_name(name, 3) == numbered


def test_replace_checks_the_target_again_when_writing(root):
    (root / "in.csv").write_bytes(b"input")
    (root / "out.csv").write_bytes(b"old")
    target = resolve_output_path(
        root, root / "autopilot", "out.csv", overwrite=True, inputs=[root / "in.csv"]
    )
    # Since the check, out.csv became another name of the input (a hard link).
    (root / "out.csv").unlink()
    os.link(root / "in.csv", root / "out.csv")
    with pytest.raises(Conflict, match="nothing was replaced"):
        write(target, b"predictions")
    assert (root / "in.csv").read_bytes() == b"input"
    # ... or a folder.
    (root / "out.csv").unlink()
    (root / "out.csv").mkdir()
    with pytest.raises(Conflict):
        write(target, b"predictions")
    assert (root / "out.csv").is_dir() and temp_files(root) == []


def test_replace_is_atomic_and_a_failed_write_leaves_the_old_file(root):
    (root / "out.csv").write_bytes(b"good")
    target = resolve_output_path(root, root / "autopilot", "out.csv", overwrite=True)
    with pytest.raises(RuntimeError), target.writer() as out:
        out.file.write(b"half a fi")
        raise RuntimeError("crash while writing")
    assert (root / "out.csv").read_bytes() == b"good" and temp_files(root) == []
    inode = (root / "out.csv").stat().st_ino
    assert write(target, b"new") == root / "out.csv"
    assert (root / "out.csv").read_bytes() == b"new"
    assert (root / "out.csv").stat().st_ino != inode


def test_a_folder_swapped_after_the_check_is_not_written_into(root):
    (root / "results").mkdir()
    target = resolve_output_path(root, root / "autopilot", "results/out.csv")
    (root / "results").rename(root / "moved")
    (root / "results").symlink_to(root / "autopilot")
    with pytest.raises(Conflict, match="changed"):
        write(target, b"x")
    assert list((root / "autopilot").iterdir()) == []


def test_without_hard_links_the_name_is_claimed_exclusively(root, monkeypatch):
    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = resolve_output_path(root, root / "autopilot", "out.csv")
    (root / "out.csv").write_bytes(b"appeared")
    assert write(target, b"ours") == root / "out (1).csv"
    assert (root / "out.csv").read_bytes() == b"appeared"
    assert (root / "out (1).csv").read_bytes() == b"ours" and temp_files(root) == []


def test_refusals_before_anything_is_written(root):
    work = root / "autopilot"
    (root / "in.csv").write_bytes(b"input")
    with pytest.raises(PathNotAllowed, match="work dir"):
        resolve_output_path(root, work, "autopilot/x.csv", overwrite=True)
    with pytest.raises(PathNotAllowed, match="work dir"):
        resolve_output_path(root, work, "autopilot", overwrite=True)
    with pytest.raises(PathNotAllowed, match="outside"):
        resolve_output_path(root, work, "../x.csv")
    with pytest.raises(InvalidRequest, match="existing folder"):
        resolve_output_path(root, work, ".", overwrite=True)
    with pytest.raises(InvalidRequest, match="input file itself"):
        resolve_output_path(root, work, "in.csv", overwrite=True, inputs=[root / "in.csv"])
    with pytest.raises(Conflict, match="already exists"):
        resolve_output_path(root, work, "in.csv")
    # The backend's own locations (prepare_output) may be in the work dir.
    assert prepare_output(root, work / "x.csv", what="copy").path == work / "x.csv"


def test_existing_file_refuses_special_files_without_opening_them(root):
    os.mkfifo(root / "pipe.csv")
    with pytest.raises(InvalidDataset, match="named pipe"):
        existing_file(root, "pipe.csv")  # would block forever if it opened the FIFO
    (root / "folder.csv").mkdir()
    with pytest.raises(InvalidDataset, match="is a folder"):
        existing_file(root, "folder.csv")


def test_messages_and_paths_never_carry_the_server_root(tmp_path):
    root, work = tmp_path / "root", tmp_path / "work"
    text = (
        f"[Errno 2] No such file: '{root}/data/x.csv' in {root}; "
        f"log at {work}/endpoints/e/server.log; {root}x/y stays"
    )
    assert scrub_paths(text, root, work) == (
        "[Errno 2] No such file: 'data/x.csv' in .; "
        f"log at <work dir>/endpoints/e/server.log; {root}x/y stays"
    )
    assert display_path(root, root / "a" / "b.csv", work) == "a/b.csv"
    assert display_path(root, work / "exports" / "m.tar.gz", work) == "<work dir>/exports/m.tar.gz"


def test_remove_temporaries_removes_only_a_writers_leftovers(tmp_path: Path) -> None:
    target = prepare_output(tmp_path, tmp_path / "scored.csv", what="output file")
    writer = target.writer()
    writer.open()
    left = writer.temp_path  # as a killed server leaves it: never committed nor discarded
    keep = [
        tmp_path / ".~scored.csv.notours.tmp",
        tmp_path / ".~other.csv.0123abcd.tmp",
        tmp_path / "scored.csv.tmp",
    ]
    for path in keep:
        path.write_text("user's")
    (tmp_path / ".~scored.csv.0123abcd.tmp").mkdir()  # a folder by that name stays too
    assert remove_temporaries(tmp_path / "scored.csv") == 1
    assert not left.exists() and all(p.read_text() == "user's" for p in keep)
    assert (tmp_path / ".~scored.csv.0123abcd.tmp").is_dir()
    assert remove_temporaries(tmp_path / "missing-folder" / "x.csv") == 0
    writer.discard()
