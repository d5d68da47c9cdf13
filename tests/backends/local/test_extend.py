"""Continuing an ended local experiment (`POST experiments/{name}/extend`) through the
REST API: real workers, small candidate counts."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest

from jupyter_autopilot.backends.local.worker import FAULT_ENV
from jupyter_autopilot.processes import kill_tree

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

TERMINAL = {"Completed", "Failed", "Stopped", "Interrupted"}
#: What a continued run may not change about a trial it keeps.
KEPT_FIELDS = (
    "status",
    "algorithm",
    "definition",
    "hyperparameters",
    "objective_value",
    "metrics",
    "train_metrics",
    "started_at",
    "ended_at",
    "duration_seconds",
)


def spec(name: str, uri: str, **extra) -> dict:
    return {"name": name, "input_uri": uri, "target": "diagnosis", **extra}


async def wait_status(api, name: str, statuses: set[str], timeout: float = 300) -> dict:
    return await api.wait_for(f"experiments/{name}", lambda b: b["status"] in statuses, timeout)


async def trials(api, name: str) -> dict[str, dict]:
    """The experiment's search trials (not the ensemble or bagged model) by name."""
    body = (await api.get(f"experiments/{name}/candidates", params={"limit": 500})).body
    return {
        c["name"]: c for c in body["candidates"] if c["definition"] not in ("ensemble", "bagged")
    }


def number(name: str) -> int:
    return int(name.rsplit("-t", 1)[1])


def better(metric_goal: str, a: float, b: float) -> bool:
    return a > b if metric_goal == "Maximize" else a < b


async def test_extend_keeps_trials_continues_numbering_and_best_of_all(api, cancer_csv):
    created = await api.post(
        "experiments", spec("grow", cancer_csv, max_candidates=4, training_mode="ensembling")
    )
    assert created.code == 201, created.body
    first = await wait_status(api, "grow", TERMINAL)
    assert first["status"] == "Completed", first
    before = await trials(api, "grow")
    assert len(before) == 4
    assert sorted(number(n) for n in before) == [1, 2, 3, 4]

    extended = await api.post("experiments/grow/extend", {"additional_candidates": 3})
    assert extended.code == 200, extended.body
    assert extended.body["status"] in ("Queued", "InProgress")
    assert extended.body["budget"]["max_candidates"] == 7
    assert (
        extended.body["budget"]["max_job_runtime_seconds"]
        == first["budget"]["max_job_runtime_seconds"]
    )
    final = await wait_status(api, "grow", TERMINAL)
    assert final["status"] == "Completed", final
    after = await trials(api, "grow")
    # Every finished trial is kept exactly as it was; three new ones follow them.
    for name, old in before.items():
        assert name in after
        assert {k: after[name][k] for k in KEPT_FIELDS} == {k: old[k] for k in KEPT_FIELDS}
    new = sorted(set(after) - set(before), key=number)
    assert [number(n) for n in new] == [5, 6, 7]
    # The best is the best of all trials (or the ensemble/bagged model built over them).
    board = (await api.get("experiments/grow/candidates", params={"limit": 500})).body
    goal = final["objective"]["goal"]
    completed = [c for c in after.values() if c["status"] == "Completed"]
    best_trial = completed[0]
    for c in completed[1:]:
        if better(goal, c["objective_value"], best_trial["objective_value"]):
            best_trial = c
    best = final["best_candidate"]
    assert best is not None
    best_entry = next(c for c in board["candidates"] if c["name"] == best["name"])
    assert best_entry["is_best"]
    if best_entry["definition"] in ("ensemble", "bagged"):
        # Built after the search from the trials of both runs: one entry of each kind.
        kinds = [c["definition"] for c in board["candidates"]]
        assert kinds.count(best_entry["definition"]) == 1
    else:
        assert best_entry["name"] == best_trial["name"]
    # The model is there again and the history says what was added.
    artifacts = {
        a["kind"]: a for a in (await api.get("experiments/grow/artifacts")).body["artifacts"]
    }
    assert artifacts["model"]["available"]
    assert [s["status"] for s in final["stages"]] == ["done"] * 4
    # The history says what was added; it can be continued again.
    assert first["history"] == [] and first["can_extend"]
    [entry] = final["history"]
    assert entry["trials_kept"] == 4 and entry["additional_candidates"] == 3
    assert entry["additional_seconds"] is None
    assert "Continued after 4 trials with 3 more candidates" in entry["message"]
    assert final["can_extend"]
    # A re-run starts over: trials and history are gone.
    rerun = await api.post("experiments/grow/rerun")
    assert rerun.code == 200 and rerun.body["history"] == []
    # Not trained to the end again (a third ensembling run, a third of this test's CPU):
    # stopped, and it ends without the previous run's trials or history.
    assert (await api.post("experiments/grow/stop")).code == 200
    ended = await wait_status(api, "grow", TERMINAL)
    assert ended["status"] in ("Stopped", "Completed") and ended["history"] == []
    for name, trial in (await trials(api, "grow")).items():
        assert name not in after or trial["started_at"] != after[name]["started_at"], name


async def test_extend_a_stopped_experiment(api, cancer_csv):
    created = await api.post(
        "experiments",
        spec("halted", cancer_csv, max_candidates=200, max_job_runtime_seconds=300),
    )
    assert created.code == 201
    deadline = time.monotonic() + 240
    while True:
        body = (await api.get("experiments/halted/candidates")).body
        if any(c["status"] == "Completed" for c in body["candidates"]):
            break
        assert time.monotonic() < deadline, "no candidate finished"
        await asyncio.sleep(0.3)
    assert (await api.post("experiments/halted/stop")).code == 200
    stopped = await wait_status(api, "halted", TERMINAL, timeout=60)
    assert stopped["status"] == "Stopped"
    before = await trials(api, "halted")
    extended = await api.post("experiments/halted/extend", {"additional_candidates": 2})
    assert extended.code == 200, extended.body
    final = await wait_status(api, "halted", TERMINAL)
    assert final["status"] == "Completed", final
    after = await trials(api, "halted")
    assert set(before) <= set(after)
    for name, old in before.items():
        assert after[name]["status"] == old["status"]
        assert after[name]["objective_value"] == old["objective_value"]
    new = sorted(set(after) - set(before), key=number)
    assert len(new) == 2
    assert number(new[0]) == max(number(n) for n in before) + 1


async def wait_completed_trials(api, name: str, count: int, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while True:
        body = (await api.get(f"experiments/{name}/candidates")).body
        if sum(c["status"] == "Completed" for c in body["candidates"]) >= count:
            return
        assert time.monotonic() < deadline, f"fewer than {count} candidates finished"
        await asyncio.sleep(0.3)


async def test_extend_a_failed_experiment_that_has_finished_trials(api, cancer_csv):
    # The worker killed under the run (as the out-of-memory killer does) fails the
    # experiment; the trials that finished before are kept and the search can go on.
    created = await api.post(
        "experiments",
        spec("killed", cancer_csv, max_candidates=200, max_job_runtime_seconds=300),
    )
    assert created.code == 201
    await wait_completed_trials(api, "killed", 2)
    pid = int((await api.get("experiments/killed")).body["backend_details"]["worker_pid"])
    kill_tree(pid, signal.SIGKILL)
    failed = await wait_status(api, "killed", TERMINAL, timeout=60)
    assert failed["status"] == "Failed", failed
    assert "killed (SIGKILL)" in failed["failure_reason"]
    assert failed["can_extend"] is True
    before = {n: c for n, c in (await trials(api, "killed")).items()}
    finished = {n for n, c in before.items() if c["status"] == "Completed"}
    assert len(finished) >= 2
    extended = await api.post("experiments/killed/extend", {"additional_candidates": 2})
    assert extended.code == 200, extended.body
    assert extended.body["failure_reason"] is None
    final = await wait_status(api, "killed", TERMINAL)
    assert final["status"] == "Completed", final
    after = await trials(api, "killed")
    # Finished trials are kept as they were; the ones cut short by the kill were marked
    # Stopped and stay too (their numbers are taken); two new trials follow.
    assert set(before) <= set(after)
    for name in finished:
        assert {k: after[name][k] for k in KEPT_FIELDS} == {k: before[name][k] for k in KEPT_FIELDS}
    new = sorted(set(after) - set(before), key=number)
    assert len(new) == 2
    assert number(new[0]) == max(number(n) for n in before) + 1
    [entry] = final["history"]
    assert entry["trials_kept"] == len(before)


async def test_extend_refused_without_a_finished_trial(api, cancer_csv, monkeypatch):
    # A run that failed before any candidate finished: nothing to continue.
    monkeypatch.setenv(FAULT_ENV, "broken:crash:candidate_definitions")
    await api.post("experiments", spec("broken", cancer_csv, max_candidates=3))
    failed = await wait_status(api, "broken", TERMINAL, timeout=120)
    assert failed["status"] == "Failed" and failed["can_extend"] is False
    reply = await api.post("experiments/broken/extend", {"additional_candidates": 1})
    assert reply.code == 409, reply.body
    message = reply.body["message"]
    assert "no finished candidate" in message and "re-run it instead" in message
    assert "exited with code 70" in message  # why it failed, to fix before the re-run
    assert (await api.get("experiments/broken")).body["status"] == "Failed"
    # Stopped before any candidate finished: the same.
    monkeypatch.setenv(FAULT_ENV, "held:hold:pre_processing")
    await api.post("experiments", spec("held", cancer_csv, max_candidates=3))
    await api.wait_for(
        "experiments/held",
        lambda b: any(s["status"] == "running" for s in b["stages"]),
        60,
    )
    assert (await api.post("experiments/held/stop")).code == 200
    stopped = await wait_status(api, "held", TERMINAL, timeout=60)
    assert stopped["status"] == "Stopped" and stopped["can_extend"] is False
    reply = await api.post("experiments/held/extend", {"additional_candidates": 1})
    assert reply.code == 409, reply.body
    assert "Stopped with no finished candidate" in reply.body["message"]
    assert (await api.get("experiments/held")).body["status"] == "Stopped"


async def test_extend_refused_with_reasons(api, cancer_csv):
    # Unknown experiment.
    missing = await api.post("experiments/nobody/extend", {"additional_candidates": 1})
    assert missing.code == 404
    # Nothing to add.
    await api.post("experiments", spec("pilot", cancer_csv, mode="pilot"))
    empty = await api.post("experiments/pilot/extend", {})
    assert empty.code == 400 and "additional_seconds" in empty.body["message"]
    negative = await api.post("experiments/pilot/extend", {"additional_candidates": 0})
    assert negative.code == 400
    # A pilot run trains nothing to continue.
    await wait_status(api, "pilot", TERMINAL)
    pilot = await api.post("experiments/pilot/extend", {"additional_candidates": 1})
    assert pilot.code == 409 and "pilot run" in pilot.body["message"], pilot.body
    assert (await api.get("experiments/pilot")).body["can_extend"] is False
    # Running: wait or stop first.
    await api.post("experiments", spec("busy", cancer_csv, max_candidates=200))
    running = await api.post("experiments/busy/extend", {"additional_candidates": 1})
    assert running.code == 409, running.body
    assert "only an ended experiment" in running.body["message"]
    assert (await api.post("experiments/busy/stop")).code == 200
    await wait_status(api, "busy", TERMINAL, timeout=60)
    # Deleted: gone.
    assert (await api.delete("experiments/busy")).code == 200
    gone = await api.post("experiments/busy/extend", {"additional_candidates": 1})
    assert gone.code == 404


async def test_extend_with_the_candidate_budget_used_up_needs_more_candidates(api, cancer_csv):
    await api.post("experiments", spec("full", cancer_csv, max_candidates=2))
    assert (await wait_status(api, "full", TERMINAL))["status"] == "Completed"
    reply = await api.post("experiments/full/extend", {"additional_seconds": 30})
    assert reply.code == 400, reply.body
    assert "additional_candidates" in reply.body["message"]
    assert (await api.get("experiments/full")).body["status"] == "Completed"


async def test_reproducible_needs_a_candidate_count(api, cancer_csv):
    reply = await api.post("experiments", spec("same", cancer_csv, reproducible=True))
    assert reply.code == 400, reply.body
    assert "max_candidates" in reply.body["message"]
    ok = await api.post(
        "validation/experiment", spec("same", cancer_csv, reproducible=True, max_candidates=3)
    )
    assert ok.code == 200, ok.body
    # Bounded by candidates: the job-runtime limit left empty is a generous safety limit.
    assert ok.body["budget"]["max_job_runtime_seconds"] == 24 * 3600
