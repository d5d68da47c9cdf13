"""The write policy through the real server: batch predictions, model exports and
dataset uploads never replace a file they were not asked to, never write into the work
dir, and say what to do before anything starts (issue #20, item 1)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from support.deployed import deploy, rows_to_score, train

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["# My analysis"]}
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(root: Path) -> list[Path]:
    """Temporary files of the write policy left anywhere under the root."""
    return [p for p in root.rglob(".~*.tmp")]


async def batch(api, endpoint: str, **body) -> object:
    return await api.post(f"endpoints/{endpoint}/batch-predictions", body)


async def finished(api, batch_id: str) -> dict:
    return await api.wait_for(
        f"batch-predictions/{batch_id}", lambda b: b["status"] != "InProgress", timeout=120
    )


async def test_batch_outputs_follow_the_write_policy(api, jp_root_dir: Path):
    await train(api, jp_root_dir)
    await deploy(api, "small", "scorer")
    rows_to_score(jp_root_dir)
    notebook = jp_root_dir / "analysis.ipynb"
    notebook.write_text(json.dumps(NOTEBOOK))
    notebook_sha = digest(notebook)
    database = jp_root_dir / "autopilot" / ".state" / "autopilot.sqlite"
    database_inode = database.stat().st_ino
    (jp_root_dir / "data").mkdir()
    os.link(jp_root_dir / "to_score.csv", jp_root_dir / "alias.csv")
    (jp_root_dir / "shortcut.csv").symlink_to("to_score.csv")
    (jp_root_dir / "ap").symlink_to("autopilot")
    os.mkfifo(jp_root_dir / "pipe.csv")

    # The two cases of the issue: a user's notebook and the extension's own database.
    reply = await batch(api, "scorer", input_path="to_score.csv", output_path="analysis.ipynb")
    assert reply.code == 409, reply.body
    assert "already exists" in reply.body["message"] and "overwrite" in reply.body["message"]
    for overwrite in (False, True):
        reply = await batch(
            api,
            "scorer",
            input_path="to_score.csv",
            output_path="autopilot/.state/autopilot.sqlite",
            overwrite=overwrite,
        )
        assert reply.code == 400, reply.body
        assert reply.body["error"] == "path_not_allowed"
        assert "work dir 'autopilot'" in reply.body["message"]

    # Every other refusal names what to do; all of them come before the 202.
    refusals = {
        "autopilot/new.csv": ("work dir", False),
        "ap/new.csv": ("work dir", False),  # the work dir through a symlink
        "data": ("existing folder", False),
        "missing/out.csv": ("create it first", False),
        "customers.csv/out.csv": ("is a file", False),
        "to_score.csv": ("input file itself", True),
        "alias.csv": ("input file itself", True),  # a hard link to the input
        "shortcut.csv": ("input file itself", True),  # a symlink to the input
        "pipe.csv": ("named pipe", True),
        "../outside.csv": ("outside the Jupyter server root", True),
    }
    for output, (needle, overwrite) in refusals.items():
        reply = await batch(
            api, "scorer", input_path="to_score.csv", output_path=output, overwrite=overwrite
        )
        assert reply.code == 400, (output, reply.body)
        assert needle in reply.body["message"], (output, reply.body)
    missing_input = await batch(api, "scorer", input_path="nope.csv")
    assert missing_input.code == 404
    pipe_input = await batch(api, "scorer", input_path="pipe.csv")
    assert pipe_input.code == 400 and "named pipe" in pipe_input.body["message"]

    # The default output next to the input, then again: a 409 until asked to replace.
    first = await batch(api, "scorer", input_path="to_score.csv")
    assert first.code == 202, first.body
    assert first.body["output_path"] == "to_score.predictions.csv"
    assert (await finished(api, first.body["id"]))["status"] == "Completed"
    output = jp_root_dir / "to_score.predictions.csv"
    before = output.stat().st_ino
    again = await batch(api, "scorer", input_path="to_score.csv")
    assert again.code == 409 and "overwrite" in again.body["message"]
    replaced = await batch(api, "scorer", input_path="to_score.csv", overwrite=True)
    assert replaced.code == 202, replaced.body
    assert (await finished(api, replaced.body["id"]))["status"] == "Completed"
    assert output.stat().st_ino != before, "replaced by an atomic rename, not rewritten"
    assert len(pd.read_csv(output)) == 50

    # An explicit overwrite of a user file the request names is allowed.
    reply = await batch(
        api, "scorer", input_path="to_score.csv", output_path="analysis.ipynb", overwrite=True
    )
    assert reply.code == 202, reply.body
    assert (await finished(api, reply.body["id"]))["status"] == "Completed"
    assert "predicted_label" in pd.read_csv(notebook).columns
    notebook.write_text(json.dumps(NOTEBOOK))

    # A new file in a sub-folder.
    reply = await batch(api, "scorer", input_path="to_score.csv", output_path="data/out.csv")
    assert reply.code == 202, reply.body
    assert (await finished(api, reply.body["id"]))["status"] == "Completed"

    assert digest(notebook) == notebook_sha
    assert database.stat().st_ino == database_inode
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert leftovers(jp_root_dir) == []
    # The server still works: its state, the endpoint and predictions.
    listed = await api.get("experiments")
    assert listed.code == 200 and [e["name"] for e in listed.body["experiments"]] == ["small"]
    assert (await api.get("endpoints/scorer")).body["status"] == "InService"
    predicted = await api.post(
        "endpoints/scorer/invocations",
        raw=b"41.0,admin,900.0\n",
        headers={"Content-Type": "text/csv"},
    )
    assert predicted.code == 200, predicted.body

    # Exports: the same policy, and re-exporting to the default place replaces our own file.
    best = (await api.get("experiments/small")).body["best_candidate"]["name"]
    export = f"experiments/small/candidates/{best}/export"
    (jp_root_dir / "mine.tar.gz").write_bytes(b"not a model")
    for body, code, needle in [
        ({"output_path": "mine.tar.gz"}, 409, "overwrite"),
        ({"output_path": "autopilot/exports/x.tar.gz"}, 400, "work dir"),
        ({"output_path": "missing/m.tar.gz"}, 400, "create it first"),
        ({"output_path": "analysis.ipynb", "overwrite": True}, 400, ".tar.gz"),
    ]:
        reply = await api.post(export, body)
        assert reply.code == code, (body, reply.body)
        assert needle in reply.body["message"], (body, reply.body)
    assert (jp_root_dir / "mine.tar.gz").read_bytes() == b"not a model"
    for _ in range(2):
        reply = await api.post(export, {})
        assert reply.code == 201, reply.body
        assert reply.body["path"] == f"autopilot/exports/small/{best}/model.tar.gz"
    reply = await api.post(export, {"output_path": "mine.tar.gz", "overwrite": True})
    assert reply.code == 201 and reply.body["path"] == "mine.tar.gz", reply.body
    assert (jp_root_dir / "mine.tar.gz").stat().st_size == reply.body["size_bytes"]
    assert leftovers(jp_root_dir) == []


async def test_uploads_never_replace_a_copy(api, jp_root_dir: Path):
    (jp_root_dir / "a").mkdir()
    (jp_root_dir / "b").mkdir()
    (jp_root_dir / "a" / "data.csv").write_text("x,y\n1,2\n")
    (jp_root_dir / "b" / "data.csv").write_text("x,y\n3,4\n")
    first = await api.post("datasets/upload", {"path": "a/data.csv", "key_prefix": "in"})
    assert first.code == 201, first.body
    assert first.body["uri"] == "autopilot/datasets/in/data.csv"
    copy = jp_root_dir / first.body["uri"]
    inode = copy.stat().st_ino

    same = await api.post("datasets/upload", {"path": "a/data.csv", "key_prefix": "in"})
    assert same.code == 201 and same.body["uri"] == first.body["uri"]
    assert "uploaded before" in same.body["warnings"][0]
    itself = await api.post("datasets/upload", {"path": first.body["uri"], "key_prefix": "in"})
    assert itself.code == 201 and itself.body["uri"] == first.body["uri"]
    other = await api.post("datasets/upload", {"path": "b/data.csv", "key_prefix": "in"})
    assert other.code == 201, other.body
    assert other.body["uri"] == "autopilot/datasets/in/data (1).csv"
    assert (jp_root_dir / other.body["uri"]).read_text() == "x,y\n3,4\n"
    assert copy.read_text() == "x,y\n1,2\n" and copy.stat().st_ino == inode

    # The server's database is never read through the API: opening and closing it in the
    # server process would drop SQLite's locks (found by tests/backends/local/test_write_fuzz.py).
    database = jp_root_dir / "autopilot" / ".state" / "autopilot.sqlite"
    os.link(database, jp_root_dir / "db-hard.sqlite")
    (jp_root_dir / "db-link.sqlite").symlink_to(database)
    for path in ("autopilot/.state/autopilot.sqlite", "db-hard.sqlite", "db-link.sqlite"):
        for route, body in (
            ("datasets/upload", {"path": path}),
            ("datasets/preview", {"uri": path}),
        ):
            reply = await api.post(route, body)
            assert reply.code == 400, (route, path, reply.body)
            assert "Autopilot database" in reply.body["message"], reply.body

    os.mkfifo(jp_root_dir / "pipe.csv")
    piped = await api.post("datasets/upload", {"path": "pipe.csv"})
    assert piped.code == 400 and "named pipe" in piped.body["message"], piped.body
    assert leftovers(jp_root_dir) == []
