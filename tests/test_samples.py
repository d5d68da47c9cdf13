"""The sample datasets: shipped in the package with their credit, and copied under the
server root by `POST samples/{name}` without ever overwriting a user's file."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jupyter_autopilot import paths as paths_module
from jupyter_autopilot.exceptions import AutopilotError
from jupyter_autopilot.samples import BANK_MARKETING, SAMPLES
from jupyter_autopilot.samples.copies import copy_into

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "jupyter_autopilot" / "samples"
DEFAULT_PATH = "bank-additional/bank-additional-full.csv"
#: The archive as distributed by UCI (recorded in the samples' NOTICE.md).
ARCHIVE_SHA256 = "4e1933c7b895935aa29bcf685db4e05b337565faa37081f0502469dac26938fd"


# -- what ships ------------------------------------------------------------------------
def test_the_archive_ships_in_the_package_unmodified() -> None:
    archive = PACKAGE_DIR / BANK_MARKETING.archive
    assert 400_000 < archive.stat().st_size < 480_000
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == ARCHIVE_SHA256
    with BANK_MARKETING.open_archive() as opened:
        assert BANK_MARKETING.member in opened.namelist()


def test_the_registry_describes_the_csv_as_it_is() -> None:
    data = BANK_MARKETING.read_csv()
    frame = pd.read_csv(io.BytesIO(data), sep=BANK_MARKETING.delimiter)
    assert len(data) == BANK_MARKETING.size_bytes
    assert frame.shape == (BANK_MARKETING.rows, BANK_MARKETING.columns)
    assert set(frame[BANK_MARKETING.target]) == {"yes", "no"}
    for exclusion in BANK_MARKETING.suggested_exclusions:
        assert exclusion.column in frame.columns and exclusion.reason


def test_every_sample_is_credited_in_the_notice() -> None:
    notice = (PACKAGE_DIR / "NOTICE.md").read_text(encoding="utf-8")
    for sample in SAMPLES.values():
        assert f"`{sample.archive}`" in notice and f"`{sample.name}`" in notice
        assert sample.source_url in notice and sample.license_url in notice
    assert "CC BY 4.0" in notice and "https://doi.org/10.24432/C5K306" in notice
    assert "Decision Support Systems 62:22-31" in notice and ARCHIVE_SHA256 in notice


# -- GET samples -------------------------------------------------------------------------
async def test_list_samples(api) -> None:
    reply = await api.get("samples")
    assert reply.code == 200
    (bank,) = reply.body["samples"]
    assert bank["name"] == "bank-marketing" and bank["target"] == "y"
    assert bank["delimiter"] == ";" and bank["rows"] == 41_188
    assert bank["license"] == "CC-BY-4.0" and "Moro" in bank["citation"]
    assert bank["suggested_exclusions"][0]["column"] == "duration"


# -- POST samples/{name} -----------------------------------------------------------------
async def test_copy_then_reuse_the_identical_file(api, jp_root_dir: Path) -> None:
    first = await api.post("samples/bank-marketing")
    assert first.code == 200, first.body
    assert first.body["path"] == DEFAULT_PATH and first.body["created"] is True
    assert first.body["sample"]["target"] == "y"
    copied = jp_root_dir / DEFAULT_PATH
    assert copied.read_bytes() == BANK_MARKETING.read_csv()
    before = copied.stat()

    again = await api.post("samples/bank-marketing", {"folder": None})
    assert again.code == 200
    assert again.body["path"] == DEFAULT_PATH and again.body["created"] is False
    after = copied.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # No temporary file left behind.
    assert sorted(p.name for p in copied.parent.iterdir()) == [copied.name]


async def test_a_users_file_is_never_overwritten(api, jp_root_dir: Path) -> None:
    mine = jp_root_dir / DEFAULT_PATH
    mine.parent.mkdir()
    mine.write_text("my,own\n1,2\n")
    reply = await api.post("samples/bank-marketing")
    assert reply.code == 200
    assert reply.body["path"] == "bank-additional/bank-additional-full (1).csv"
    assert reply.body["created"] is True
    assert mine.read_text() == "my,own\n1,2\n"
    assert (mine.parent / "bank-additional-full (1).csv").read_bytes() == BANK_MARKETING.read_csv()
    # The numbered copy is the one reused next time, not a third file.
    again = await api.post("samples/bank-marketing")
    assert again.body["path"] == "bank-additional/bank-additional-full (1).csv"
    assert again.body["created"] is False
    assert len(list(mine.parent.iterdir())) == 2


async def test_other_folders_and_the_root(api, jp_root_dir: Path) -> None:
    root = await api.post("samples/bank-marketing", {"folder": ""})
    assert root.code == 200 and root.body["path"] == "bank-additional-full.csv"
    deep = await api.post("samples/bank-marketing", {"folder": "courses/week 1"})
    assert deep.code == 200 and deep.body["path"] == "courses/week 1/bank-additional-full.csv"
    assert (jp_root_dir / "courses" / "week 1" / "bank-additional-full.csv").is_file()
    absolute = await api.post("samples/bank-marketing", {"folder": str(jp_root_dir / "abs")})
    assert absolute.code == 200 and absolute.body["path"] == "abs/bank-additional-full.csv"


async def test_symlinks_are_neither_followed_nor_reused(api, jp_root_dir: Path, tmp_path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_bytes(BANK_MARKETING.read_csv())
    folder = jp_root_dir / "bank-additional"
    folder.mkdir()
    (folder / "bank-additional-full.csv").symlink_to(outside)
    reply = await api.post("samples/bank-marketing")
    assert reply.code == 200
    assert reply.body["path"] == "bank-additional/bank-additional-full (1).csv"
    assert (folder / "bank-additional-full.csv").is_symlink()
    assert outside.read_bytes() == BANK_MARKETING.read_csv()


@pytest.mark.parametrize(
    ("folder", "status", "error", "says"),
    [
        ("../outside", 400, "path_not_allowed", "outside the Jupyter server root"),
        ("autopilot", 400, "path_not_allowed", "inside the Autopilot work dir"),
        ("autopilot/experiments", 400, "path_not_allowed", "inside the Autopilot work dir"),
        (".hidden", 400, "path_not_allowed", "hidden"),
        ("data/.cache", 400, "path_not_allowed", "hidden"),
        ("notes.txt", 400, "invalid_request", "is a file, not a folder"),
        ("notes.txt/sub", 400, "invalid_request", "is a file, not a folder"),
        ("s3://bucket/key", 400, "path_not_allowed", "is a URI"),
        ("a\x00b", 400, "path_not_allowed", "NUL"),
        (123, 400, "validation_error", "folder"),
    ],
)
async def test_bad_folders_say_what_to_fix(
    api, jp_root_dir: Path, folder: Any, status: int, error: str, says: str
) -> None:
    (jp_root_dir / "notes.txt").write_text("mine")
    reply = await api.post("samples/bank-marketing", {"folder": folder})
    assert (reply.code, reply.error) == (status, error), reply.body
    assert says in reply.body["message"]
    # Nothing was written: the root holds the work dir (the backend's own) and notes.txt.
    assert sorted(p.name for p in jp_root_dir.iterdir()) == ["autopilot", "notes.txt"]
    assert not any(p.name.endswith(".csv") for p in (jp_root_dir / "autopilot").rglob("*"))
    assert not (jp_root_dir.parent / "outside").exists()
    assert (jp_root_dir / "notes.txt").read_text() == "mine"


async def test_unknown_sample_names_the_known_ones(api) -> None:
    reply = await api.post("samples/titanic")
    assert (reply.code, reply.error) == (404, "not_found")
    assert "'titanic'" in reply.body["message"] and "bank-marketing" in reply.body["message"]


async def test_the_copy_is_ready_for_the_wizard(api) -> None:
    """What "Try the tutorial" does next: preview the copy and check it with target `y`,
    which flags `duration` as leaking the target."""
    path = (await api.post("samples/bank-marketing")).body["path"]
    preview = await api.post("datasets/preview", {"uri": path})
    assert preview.code == 200 and preview.body["delimiter"] == ";"
    assert "y" in [c["name"] for c in preview.body["columns"]]
    checked = await api.post(
        "validation/experiment", {"name": "tutorial", "input_uri": path, "target": "y"}
    )
    assert checked.code == 200, checked.body
    assert "duration" in [w.get("column") for w in checked.body["warnings"]]


# -- the writing itself ------------------------------------------------------------------
def test_copies_never_replace_or_follow_what_is_there(tmp_path: Path) -> None:
    """Another file at the name, a dangling symlink at the next: both stay as they
    are, the copy goes to the first free name."""
    (tmp_path / "bank-additional-full.csv").write_text("theirs")
    dangling = tmp_path / "bank-additional-full (1).csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    copied = copy_into(tmp_path, BANK_MARKETING)
    assert copied.created and copied.path == tmp_path / "bank-additional-full (2).csv"
    assert (tmp_path / "bank-additional-full.csv").read_text() == "theirs"
    assert dangling.is_symlink() and not (tmp_path / "nowhere.csv").exists()
    assert copied.path.read_bytes() == BANK_MARKETING.read_csv()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bank-additional-full (1).csv",
        "bank-additional-full (2).csv",
        "bank-additional-full.csv",
    ]
    # A second copy finds the identical one instead of making a fourth file.
    again = copy_into(tmp_path, BANK_MARKETING)
    assert again.path == copied.path and not again.created


def test_without_hard_links_the_file_is_created_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(paths_module.os, "link", no_links)
    (tmp_path / "bank-additional-full.csv").write_text("theirs")
    copied = copy_into(tmp_path, BANK_MARKETING)
    assert copied.created and copied.path.name == "bank-additional-full (1).csv"
    assert (tmp_path / "bank-additional-full.csv").read_text() == "theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bank-additional-full (1).csv",
        "bank-additional-full.csv",
    ]


def test_an_unwritable_folder_is_a_403_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated: the tests run as root in CI, and root writes in read-only folders.
    def denied(self: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(paths_module.OutputWriter, "open", denied)
    with pytest.raises(AutopilotError) as caught:
        copy_into(tmp_path, BANK_MARKETING)
    assert caught.value.status_code == 403 and "may not write" in caught.value.message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("hard_links", [True, False], ids=["hard-links", "no-hard-links"])
def test_concurrent_copies_make_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    """Eight simultaneous copies: one file, every caller gets its path (a copy being
    written, or a name claimed by an empty placeholder where there are no hard links,
    is never mistaken for someone else's file)."""
    if not hard_links:

        def no_links(*args: Any, **kwargs: Any) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(paths_module.os, "link", no_links)
    results: list[Any] = []
    barrier = threading.Barrier(8)

    def copy() -> None:
        barrier.wait()
        results.append(copy_into(tmp_path, BANK_MARKETING))

    threads = [threading.Thread(target=copy) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.path for r in results} == {tmp_path / "bank-additional-full.csv"}
    assert sum(r.created for r in results) == 1
    assert os.listdir(tmp_path) == ["bank-additional-full.csv"]
