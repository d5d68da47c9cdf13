"""Local backend lifecycle through the REST API: pilot, stop, queue, re-run, races,
worker faults and bad input (real workers, small budgets)."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pandas as pd
import psutil
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

TERMINAL = {"Completed", "Failed", "Stopped", "Interrupted"}


def spec(name: str, uri: str, **extra) -> dict:
    return {"name": name, "input_uri": uri, "target": "diagnosis", **extra}


async def wait_status(api, name: str, statuses: set[str], timeout: float = 300) -> dict:
    return await api.wait_for(f"experiments/{name}", lambda b: b["status"] in statuses, timeout)


async def test_pilot_mode_stops_after_candidate_definitions(api, cancer_csv, jp_root_dir):
    created = await api.post("experiments", spec("pilot", cancer_csv, mode="pilot"))
    assert created.code == 201, created.body
    final = await wait_status(api, "pilot", TERMINAL)
    assert final["status"] == "Completed", final
    assert [s["status"] for s in final["stages"]] == ["done", "done", "skipped", "skipped"]
    artifacts = {
        a["kind"]: a for a in (await api.get("experiments/pilot/artifacts")).body["artifacts"]
    }
    assert artifacts["candidate_definitions_notebook"]["available"]
    assert artifacts["data_exploration_notebook"]["available"]
    assert not artifacts["model"]["available"]
    deploy = await api.post("experiments/pilot/deploy", {})
    assert deploy.code == 409
    assert "no trained candidate" in deploy.body["message"]


async def test_stop_keeps_finished_candidates(api, cancer_csv):
    created = await api.post(
        "experiments",
        spec("stoppable", cancer_csv, max_candidates=200, max_job_runtime_seconds=300),
    )
    assert created.code == 201
    deadline = time.monotonic() + 240
    while True:
        body = (await api.get("experiments/stoppable/candidates")).body
        if any(c["status"] == "Completed" for c in body["candidates"]):
            break
        assert time.monotonic() < deadline, "no candidate finished"
        await asyncio.sleep(0.3)
    stopped = await api.post("experiments/stoppable/stop")
    assert stopped.code == 200
    assert stopped.body["status"] in ("Stopping", "Stopped")
    final = await wait_status(api, "stoppable", TERMINAL, timeout=60)
    assert final["status"] == "Stopped"
    candidates = (await api.get("experiments/stoppable/candidates")).body["candidates"]
    assert any(c["status"] == "Completed" for c in candidates)
    assert all(c["status"] != "InProgress" for c in candidates)
    assert final["can_rerun"] is True
    # Stopping again is a conflict that says why.
    again = await api.post("experiments/stoppable/stop")
    assert again.code == 409 and "Stopped" in again.body["message"]


async def test_queue_respects_max_concurrent_jobs_and_rerun(api, cancer_csv):
    first = await api.post("experiments", spec("first", cancer_csv, max_candidates=3))
    second = await api.post("experiments", spec("second", cancer_csv, max_candidates=3))
    assert first.code == second.code == 201
    assert second.body["status"] == "Queued"
    listed = (await api.get("experiments", params={"status": "Queued"})).body
    assert [e["name"] for e in listed["experiments"]] == ["second"]
    # A queued experiment can be stopped before it starts.
    stop_queued = await api.post("experiments/second/stop")
    assert stop_queued.body["status"] == "Stopped"
    done = await wait_status(api, "first", TERMINAL)
    assert done["status"] == "Completed", done
    # Re-run the stopped one: it queues, runs, completes.
    rerun = await api.post("experiments/second/rerun")
    assert rerun.code == 200 and rerun.body["status"] in ("Queued", "InProgress")
    assert (await wait_status(api, "second", TERMINAL))["status"] == "Completed"
    # Delete needs a terminal state and forgets the experiment.
    assert (await api.delete("experiments/second")).code == 200
    assert (await api.get("experiments/second")).code == 404


async def test_same_name_created_at_once_exactly_one_wins(api, cancer_csv):
    replies = await asyncio.gather(
        *[api.post("experiments", spec("race", cancer_csv, mode="pilot")) for _ in range(6)]
    )
    codes = sorted(r.code for r in replies)
    assert codes == [201, 409, 409, 409, 409, 409]
    conflict = next(r for r in replies if r.code == 409)
    assert "already exists" in conflict.body["message"]
    await wait_status(api, "race", TERMINAL)


async def test_killed_worker_marks_the_experiment_failed_with_a_reason(api, cancer_csv):
    await api.post("experiments", spec("doomed", cancer_csv, max_candidates=200))
    deadline = time.monotonic() + 60
    while True:
        body = (await api.get("experiments/doomed")).body
        pid = body["backend_details"].get("worker_pid")
        if pid and body["status"] == "InProgress":
            break
        assert time.monotonic() < deadline
        await asyncio.sleep(0.2)
    os.kill(int(pid), signal.SIGKILL)
    final = await wait_status(api, "doomed", TERMINAL, timeout=30)
    assert final["status"] == "Failed"
    assert "killed (SIGKILL)" in final["failure_reason"]
    assert not psutil.pid_exists(int(pid)) or psutil.Process(int(pid)).status() == "zombie"
    # The server is unaffected: the next experiment runs.
    await api.post("experiments", spec("after", cancer_csv, mode="pilot"))
    assert (await wait_status(api, "after", TERMINAL))["status"] == "Completed"


@pytest.mark.parametrize(
    ("uri", "code", "needle"),
    [
        ("nope.csv", 404, "does not exist"),
        ("../outside.csv", 400, "outside the Jupyter server root"),
        ("/etc/passwd", 400, "outside the Jupyter server root"),
        ("s3://bucket/key.csv", 400, "local backend"),
        ("data", 400, "is a folder"),
    ],
)
async def test_bad_input_locations(api, cancer_csv, uri, code, needle):
    reply = await api.post("experiments", spec("bad", uri))
    assert reply.code == code, reply.body
    assert needle in reply.body["message"]
    assert (await api.get("experiments")).body["total"] == 0


async def test_symlink_out_of_root_is_refused(api, jp_root_dir, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("a,b\n1,2\n")
    (jp_root_dir / "link.csv").symlink_to(outside)
    reply = await api.post("datasets/preview", {"uri": "link.csv"})
    assert reply.code == 400 and reply.error == "path_not_allowed"


async def test_misspelt_target_suggests_the_closest_column(api, cancer_csv):
    reply = await api.post("experiments", {**spec("typo", cancer_csv), "target": "diagnosys"})
    assert reply.code == 400
    assert "diagnosis" in reply.body["message"]
    assert (await api.get("experiments")).body["total"] == 0


async def test_excluding_an_unknown_column_is_refused(api, cancer_csv):
    reply = await api.post("experiments", spec("excl", cancer_csv, exclude_columns=["nope"]))
    assert reply.code == 400 and "nope" in reply.body["message"]


async def test_objective_metric_must_fit_the_problem_type(api, cancer_csv):
    reply = await api.post(
        "experiments", spec("metric", cancer_csv, problem_type="regression", objective_metric="AUC")
    )
    assert reply.code == 400 and "does not apply" in reply.body["message"]


async def test_oversized_body_is_a_413(api):
    reply = await api.post("experiments", raw=b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert reply.code == 413


async def test_upload_copies_into_the_work_dir(api, cancer_csv, jp_root_dir):
    reply = await api.post("datasets/upload", {"path": cancer_csv, "key_prefix": "tutorial/input"})
    assert reply.code == 201, reply.body
    assert reply.body["uri"] == "autopilot/datasets/tutorial/input/cancer.csv"
    copied = pd.read_csv(jp_root_dir / reply.body["uri"])
    assert copied.shape == pd.read_csv(jp_root_dir / cancer_csv).shape
    bad = await api.post("datasets/upload", {"path": cancer_csv, "key_prefix": "../../etc"})
    assert bad.code == 400


@pytest.mark.slow
async def test_many_clients_create_list_stop_and_delete_at_once(api, cancer_csv, jp_root_dir):
    names = [f"crowd-{i}" for i in range(8)]
    # Correctness under concurrency, not latency (bench/api/load_while_training.py measures
    # that): the eight creates' checks queue for the one CPU helper, which starts with the
    # first, so on a machine busy with other work the last may answer after a minute.
    creates = [
        api.post("experiments", spec(n, cancer_csv, mode="pilot"), timeout=300) for n in names
    ]
    lists = [api.get("experiments", timeout=300) for _ in range(8)]
    replies = await asyncio.gather(*creates, *lists)
    assert all(r.code == 201 for r in replies[:8]), [r.body for r in replies[:8] if r.code != 201]
    assert all(r.code == 200 for r in replies[8:])
    # Stop the second half while the first runs; stopping twice at once is harmless.
    stops = await asyncio.gather(*[api.post(f"experiments/{n}/stop") for n in names[4:] * 2])
    assert all(r.code in (200, 409) for r in stops)
    for name in names[4:]:
        assert (await wait_status(api, name, TERMINAL))["status"] in ("Stopped", "Completed")
    deletes = await asyncio.gather(*[api.delete(f"experiments/{n}") for n in names[4:]])
    assert all(r.code == 200 for r in deletes)
    for name in names[:4]:
        assert (await wait_status(api, name, TERMINAL))["status"] == "Completed"
    listed = (await api.get("experiments", params={"sort_by": "name", "order": "asc"})).body
    assert [e["name"] for e in listed["experiments"]] == names[:4]
    import sqlite3

    db = sqlite3.connect(jp_root_dir / "autopilot" / ".state" / "autopilot.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    orphans = db.execute(
        "SELECT COUNT(*) FROM stages WHERE experiment NOT IN (SELECT name FROM experiments)"
    ).fetchone()[0]
    db.close()
    assert orphans == 0


async def test_rerun_racing_delete_answers_404_or_409_never_500(api, cancer_csv, jp_root_dir):
    """Each pair sends a re-run and a delete of the same stopped experiment at once: exactly
    one of them wins, the other says why (404 deleted / 409 queued again), and the state is
    whole. Stopping while queued gives stopped experiments without training them."""
    blocker = await api.post("experiments", spec("blocker", cancer_csv))
    assert blocker.code == 201, blocker.body  # holds the only job slot: the rest stay queued
    names = [f"race-{i}" for i in range(10)]
    for name in names:
        assert (await api.post("experiments", spec(name, cancer_csv, mode="pilot"))).code == 201
        stopped = await api.post(f"experiments/{name}/stop")
        assert stopped.body["status"] == "Stopped", stopped.body
    pairs = []
    for i, name in enumerate(names):
        rerun, delete = api.post(f"experiments/{name}/rerun"), api.delete(f"experiments/{name}")
        pairs.append([rerun, delete] if i % 2 else [delete, rerun])
    replies = await asyncio.gather(*[call for pair in pairs for call in pair])
    assert all(r.code < 500 for r in replies), [r.body for r in replies if r.code >= 500]
    survivors = set()
    for i, name in enumerate(names):
        first, second = replies[2 * i], replies[2 * i + 1]
        rerun, delete = (first, second) if i % 2 else (second, first)
        if rerun.code == 200:
            assert delete.code == 409 and "stop it" in delete.body["message"], delete.body
            survivors.add(name)
        else:
            assert delete.code == 200, delete.body
            assert rerun.code in (404, 409), rerun.body
            assert name in rerun.body["message"]
    listed = (await api.get("experiments", params={"limit": 100})).body["experiments"]
    assert {e["name"] for e in listed} == survivors | {"blocker"}
    for name in survivors:
        assert (await api.get(f"experiments/{name}")).body["status"] in ("Queued", "InProgress")
    for name in [*survivors, "blocker"]:
        await api.post(f"experiments/{name}/stop")
    import sqlite3

    db = sqlite3.connect(jp_root_dir / "autopilot" / ".state" / "autopilot.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    orphans = db.execute(
        "SELECT COUNT(*) FROM stages WHERE experiment NOT IN (SELECT name FROM experiments)"
    ).fetchone()[0]
    db.close()
    assert orphans == 0
    for name in [*survivors, "blocker"]:
        await wait_status(api, name, TERMINAL)


async def test_validation_reports_warnings_without_starting_anything(api, root_bank_csv):
    body = {"name": "check-first", "input_uri": root_bank_csv, "target": "y", "max_candidates": 5}
    reply = await api.post("validation/experiment", body)
    assert reply.code == 200, reply.body
    assert reply.body["name_available"] is True
    assert reply.body["budget"]["max_candidates"] == 5
    assert any(w["column"] == "duration" for w in reply.body["warnings"])
    assert (await api.get("experiments")).body["total"] == 0
    bad = await api.post("validation/experiment", {**body, "target": "why"})
    assert bad.code == 400 and "'y'" in bad.body["message"]


async def test_cache_busting_query_from_jupyterlab_is_ignored(api):
    reply = await api.get("experiments", params={"1732800000000": ""})
    assert reply.code == 200


def test_old_databases_gain_new_columns(tmp_path):
    import sqlite3

    from jupyter_autopilot.backends.local import schema, store

    # The first release's schema: the current one without the columns added since.
    first_release = schema.SCHEMA
    for _, column, ddl in schema.ADDED_COLUMNS:
        first_release = first_release.replace(f"    {column} {ddl},\n", "")
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(first_release)
    before = {row[1] for row in old.execute("PRAGMA table_info(experiments)")}
    old.close()
    assert "model_sha256" not in before
    Store = store.Store
    Store(path).close()
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(experiments)")}
    assert "model_sha256" in columns


async def test_dataset_errors_name_the_field_to_fix(api, cancer_csv):
    reply = await api.post("validation/experiment", spec("fields", cancer_csv, target="nope"))
    assert reply.code == 400
    assert reply.body["details"][0]["field"] == "target"
    reply = await api.post(
        "validation/experiment", spec("fields", cancer_csv, problem_type="regression")
    )
    assert reply.code == 400
    assert reply.body["details"][0]["field"] == "problem_type"
