"""Chaos for the write policy (issue #20, done-means): against a real server with two
endpoints serving and a batch running, hypothesis draws sequences of write requests
(batch predictions, exports, uploads) whose paths come from the user's files, the work
dir's files, folders, hard links, symlinks, a FIFO, `..` and absolute paths, with and
without `overwrite`. Every file that existed before is snapshotted (inode and SHA-256):
afterwards none changed, except a user file outside the work dir that an accepted
request named with `overwrite: true`; only new files appeared, and no 5xx."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.deployed import customers

from jupyter_autopilot.testing import JupyterServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

WORK = "autopilot"
#: Files the server itself keeps changing (its database, logs): their content may
#: change, never their inode.
LIVE = (".sqlite", ".log")
#: SQLite's own side files, created and removed as connections come and go.
TRANSIENT = ("-wal", "-shm", "-journal")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServerProcess]:
    base = tmp_path_factory.mktemp("write-fuzz")
    root, home = base / "root", base / "home"
    root.mkdir()
    home.mkdir()
    customers(400).to_csv(root / "customers.csv", index=False)
    server = JupyterServerProcess(root, home)
    server.start()
    spec = {"name": "small", "input_uri": "customers.csv", "target": "y", "max_candidates": 2}
    assert server.post("experiments", spec).status_code == 201
    assert server.wait_for("experiments/small", lambda b: b["ended_at"])["status"] == "Completed"
    for endpoint in ("ep-a", "ep-b"):
        reply = server.post("experiments/small/deploy", {"endpoint_name": endpoint})
        assert reply.status_code == 202, reply.text
    for endpoint in ("ep-a", "ep-b"):
        ready = server.wait_for(f"endpoints/{endpoint}", lambda b: b["status"] != "Creating")
        assert ready["status"] == "InService", ready
    # The user's files, and the aliases an attacker would try.
    features = customers(50, seed=7).drop(columns="y")
    features.to_csv(root / "to_score.csv", index=False)
    customers(40_000, seed=8).drop(columns="y").to_csv(root / "big.csv", index=False)
    (root / "analysis.ipynb").write_text('{"cells": [], "nbformat": 4}')
    (root / "data").mkdir()
    (root / "data" / "notes.txt").write_text("my notes")
    (root / "mine.tar.gz").write_bytes(b"my archive")
    (root / "runs").mkdir()
    os.link(root / "to_score.csv", root / "alias.csv")
    (root / "shortcut.csv").symlink_to("to_score.csv")
    (root / "ap").symlink_to(WORK)
    (root / "db-link.sqlite").symlink_to(f"{WORK}/.state/autopilot.sqlite")
    os.link(root / WORK / ".state" / "autopilot.sqlite", root / "db-hard.sqlite")
    os.mkfifo(root / "pipe.csv")
    yield server
    server.stop()


def _paths() -> list[str]:
    return [
        # the user's files and aliases of them
        "analysis.ipynb",
        "to_score.csv",
        "alias.csv",
        "shortcut.csv",
        "data/notes.txt",
        "mine.tar.gz",
        "db-link.sqlite",
        "db-hard.sqlite",
        "pipe.csv",
        # the work dir's files, directly and through a symlink
        f"{WORK}/.state/autopilot.sqlite",
        f"{WORK}/experiments/small/model/model.joblib",
        f"{WORK}/experiments/small/data_exploration.ipynb",
        f"{WORK}/endpoints/ep-a/server.log",
        f"{WORK}/new.csv",
        f"{WORK}/model.tar.gz",
        "ap/.state/autopilot.sqlite",
        "ap/new.tar.gz",
        # folders
        ".",
        "data",
        "data/",
        WORK,
        f"{WORK}/.state",
        # escapes and detours
        "../escape.csv",
        "data/../analysis.ipynb",
        f"{WORK}/../mine.tar.gz",
        "data/../../x.tar.gz",
        "/etc/passwd",
        # new names, some in folders that do not exist or are files
        "new.csv",
        "data/new.csv",
        "new.tar.gz",
        "data/new.tar.gz",
        "missing/new.csv",
        "to_score.csv/x.csv",
    ]


@st.composite
def write_request(draw: Any, root: Path) -> tuple[str, str, dict[str, Any]]:
    path = st.sampled_from(_paths())
    absolute = st.booleans()

    def maybe_absolute(p: str) -> str:
        return str(root / p) if draw(absolute) and not p.startswith(("/", "..")) else p

    kind = draw(st.sampled_from(["batch", "export", "upload"]))
    # `overwrite` is sent only when true: false is the default, and a request without
    # it is what a client that never heard of it sends.
    overwrite = {"overwrite": True} if draw(st.booleans()) else {}
    if kind == "batch":
        endpoint = draw(st.sampled_from(["ep-a", "ep-b"]))
        body = {
            "input_path": draw(
                st.sampled_from(["to_score.csv", "alias.csv", "shortcut.csv", "db-hard.sqlite"])
            ),
            "output_path": draw(st.none() | path.map(maybe_absolute)),
            **overwrite,
        }
        return "POST", f"endpoints/{endpoint}/batch-predictions", body
    if kind == "export":
        body = {"output_path": maybe_absolute(draw(path)), **overwrite}
        return "POST", "experiments/small/candidates/{best}/export", body
    body = {"path": maybe_absolute(draw(path)), "key_prefix": draw(st.sampled_from(["in", "../x"]))}
    return "POST", "datasets/upload", body


def snapshot(root: Path) -> dict[str, tuple[Any, ...]]:
    """(kind, inode, SHA-256 or link target) of every entry under the root (FIFO included,
    never opened)."""
    found: dict[str, tuple[Any, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = ("link", info.st_ino, os.readlink(path))
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[relative] = ("file", info.st_ino, digest)
            elif path.is_dir():
                found[relative] = ("dir", info.st_ino, None)
            else:
                found[relative] = ("special", info.st_ino, None)
    return found


def check_nothing_was_replaced(
    before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]], allowed: set[str]
) -> None:
    # A hard link to a live file (db-hard.sqlite) changes with it.
    live_inodes = {
        inode for path, (kind, inode, _) in before.items() if kind == "file" and path.endswith(LIVE)
    }
    for path, (kind, inode, content) in before.items():
        if path.endswith(TRANSIENT):
            continue
        assert path in after, f"{path} disappeared"
        now_kind, now_inode, now_content = after[path]
        if path in allowed:
            assert not path.startswith(WORK + "/") and kind == "file", path
            continue
        assert now_kind == kind and now_inode == inode, f"{path} was replaced"
        if kind == "file" and not path.endswith(LIVE) and inode not in live_inodes:
            assert now_content == content, f"{path} changed"


@given(data=st.data())
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_write_requests_never_replace_a_file_they_were_not_told_to(live, data):
    root = live.root
    experiment = live.get("experiments/small")
    assert experiment.status_code == 200, (experiment.text, live.log_text()[-5000:])
    best = experiment.json()["best_candidate"]["name"]
    requests = data.draw(st.lists(write_request(root), min_size=1, max_size=6), label="requests")
    before = snapshot(root)
    # A long batch runs while the requests arrive.
    background = live.post(
        "endpoints/ep-b/batch-predictions",
        {"input_path": "big.csv", "output_path": f"runs/{uuid.uuid4().hex}.csv"},
    )
    assert background.status_code == 202, background.text
    batches, allowed = [background.json()["id"]], set()
    for method, route, body in requests:
        reply = live.request(method, route.format(best=best), json=body)
        assert reply.status_code < 500, (route, body, reply.text)
        answer = reply.json()
        if reply.status_code >= 400:
            assert answer["message"], answer
            continue
        if "batch-predictions" in route:
            batches.append(answer["id"])
            written = answer["output_path"]
        elif "export" in route:
            written = answer["path"]
        else:
            written = answer["uri"]
            assert written.startswith(f"{WORK}/datasets/"), answer
            continue
        assert not written.startswith(WORK + "/") and not written.startswith("/"), answer
        if body.get("overwrite"):
            allowed.add(written)
    for batch in batches:
        done = live.wait_for(f"batch-predictions/{batch}", lambda b: b["ended_at"], timeout=120)
        assert done["status"] == "Completed", done
    after = snapshot(root)
    check_nothing_was_replaced(before, after, allowed)
    assert not [p for p in after if Path(p).name.startswith(".~")], "temporary files left"
    # The server's own state is whole, and it still serves.
    with sqlite3.connect(root / WORK / ".state" / "autopilot.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [e["name"] for e in live.get("experiments").json()["experiments"]] == ["small"]
    for endpoint in ("ep-a", "ep-b"):
        reply = live.request(
            "POST",
            f"endpoints/{endpoint}/invocations",
            data=b"41.0,admin,900.0\n",
            headers={"Content-Type": "text/csv"},
        )
        assert reply.status_code == 200, reply.text
