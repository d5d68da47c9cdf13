"""Running experiments in worker processes: queue, spawn, watch, stop, recover.

One worker process per running experiment, at most `max_concurrent_jobs` at once; the
rest wait as Queued. The server never trains itself: it spawns, watches exit codes and
enforces the job's runtime limit. After a server crash the database may say InProgress
for a worker that no longer exists; `recover()` turns those into Interrupted.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import psutil

from ... import models as m
from ...processes import child_command, kill_tree
from .interpreter import child_env
from .launcher import DEVNULL, ChildProcess, start_child
from .store import Store

#: Seconds a worker gets to honour Stop before SIGTERM, then SIGKILL.
STOP_GRACE_SECONDS = 20.0
#: Extra time beyond the job budget before the server kills a worker that ignores it.
RUNTIME_GRACE_SECONDS = 60.0
_RUNNING = {m.ExperimentStatus.InProgress, m.ExperimentStatus.Stopping}


WORKER_MODULE = "jupyter_autopilot.backends.local.worker"


def worker_command(db_path: Path, name: str, python: str = sys.executable) -> list[str]:
    """The worker's command line; `python` is `LocalBackend.worker_python` (or ours)."""
    return child_command(python, WORKER_MODULE, str(db_path), name)


def exit_reason(returncode: int, log_tail: str) -> str:
    """Why a worker ended without recording an outcome, in words."""
    if returncode < 0:
        sig = signal.Signals(-returncode).name
        if -returncode == signal.SIGKILL:
            return (
                f"The worker process was killed ({sig}), most likely by the out-of-memory "
                "killer. Try a smaller dataset or fewer candidates, then re-run."
            )
        return f"The worker process was terminated by {sig}."
    reason = f"The worker process exited with code {returncode}."
    if log_tail:
        reason += f" Last log lines: {log_tail}"
    return reason


def is_our_worker(pid: int, name: str) -> bool:
    """True if `pid` is alive and is a worker for experiment `name`."""
    try:
        proc = psutil.Process(pid)
        cmdline = proc.cmdline()
    except (psutil.Error, OSError):
        return False
    # A child of the fork server shows its command line as one string (setproctitle).
    words = " ".join(cmdline).split()
    return WORKER_MODULE in words and name in words


class JobManager:
    """Schedules experiments onto worker processes."""

    def __init__(
        self,
        store: Store,
        max_concurrent_jobs: int,
        log: logging.Logger | logging.LoggerAdapter[logging.Logger],
        on_finished: Callable[[str], None] | None = None,
        python: str = sys.executable,
        fork_server: bool = True,
    ):
        self.store = store
        self.max_concurrent_jobs = max_concurrent_jobs
        self.python = python
        #: Fork workers from the pre-imported fork server (`LocalBackend.fork_server`).
        self.fork_server = fork_server
        self.log = log
        self.on_finished = on_finished
        self._procs: dict[str, ChildProcess] = {}
        self._watchers: dict[str, asyncio.Task[None]] = {}
        self._lock = asyncio.Lock()
        self._closing = False

    @property
    def running(self) -> list[str]:
        return list(self._procs)

    # -- recovery --------------------------------------------------------------------
    async def recover(self) -> None:
        """After a (re)start: running experiments whose worker is gone become Interrupted."""
        for name in await asyncio.to_thread(self.store.experiment_names, _RUNNING):
            row = await asyncio.to_thread(self.store.experiment_row, name)
            pid = row["worker_pid"]
            if pid and is_our_worker(pid, name):
                # A worker that outlived its server (no PDEATHSIG): it cannot report to
                # us reliably any more, so stop it rather than leave an orphan.
                kill_tree(pid)
            stage = next(
                (
                    s.title
                    for s in (await asyncio.to_thread(self.store.experiment, name, "local")).stages
                    if s.status is m.StageStatus.running
                ),
                None,
            )
            where = f" during {stage}" if stage else ""
            reason = (
                f"The Jupyter server stopped while this experiment was running{where}. "
                "Finished candidates are kept; re-run it to start again."
            )
            await asyncio.to_thread(
                self.store.mark_unfinished_candidates, name, m.CandidateStatus.Stopped
            )
            await asyncio.to_thread(self.store.fail_running_stages, name, "Interrupted.")
            await asyncio.to_thread(
                self.store.update_experiment,
                name,
                status=m.ExperimentStatus.Interrupted,
                failure_reason=reason,
                ended_at=m.utcnow(),
                worker_pid=None,
            )
            self.log.warning("Experiment %s was interrupted by a server restart.", name)

    # -- scheduling ------------------------------------------------------------------
    async def schedule(self) -> None:
        """Start queued experiments, oldest first, while slots are free."""
        if self._closing:
            return
        async with self._lock:
            queued = await asyncio.to_thread(
                self.store.experiment_names, {m.ExperimentStatus.Queued}
            )
            for name in queued:
                if len(self._procs) >= self.max_concurrent_jobs:
                    break
                await self._spawn(name)

    async def _spawn(self, name: str) -> None:
        row = await asyncio.to_thread(self.store.experiment_row, name)
        output_dir = Path(row["output_dir"])
        output_dir.mkdir(parents=True, exist_ok=True)
        log_path = output_dir / "worker.log"
        env = child_env()
        try:
            with open(log_path, "ab") as log_file:
                proc = await start_child(
                    self.python,
                    WORKER_MODULE,
                    str(self.store.path),
                    name,
                    stdin=DEVNULL,
                    stdout=log_file,
                    stderr=log_file,
                    env=env,
                    fork_server=self.fork_server,
                )
        except OSError as exc:
            # E.g. LocalBackend.worker_python gone since the create-time check.
            reason = f"The worker process could not start ({self.python}): {exc}"
            await asyncio.to_thread(self.store.fail_running_stages, name, reason)
            await asyncio.to_thread(
                self.store.update_experiment,
                name,
                status=m.ExperimentStatus.Failed,
                failure_reason=reason,
                ended_at=m.utcnow(),
            )
            self.log.error("Experiment %s: %s", name, reason)
            return
        self._procs[name] = proc
        await asyncio.to_thread(
            self.store.update_experiment,
            name,
            status=m.ExperimentStatus.InProgress,
            worker_pid=proc.pid,
            started_at=m.utcnow(),
        )
        budget = m.Budget.model_validate_json(row["budget"])
        self._watchers[name] = asyncio.create_task(self._watch(name, proc, log_path, budget))
        self.log.info("Experiment %s started in worker %d.", name, proc.pid)

    async def _watch(self, name: str, proc: ChildProcess, log_path: Path, budget: m.Budget) -> None:
        limit = budget.max_job_runtime_seconds + RUNTIME_GRACE_SECONDS
        limit += 0.2 * budget.max_job_runtime_seconds
        timed_out = False
        try:
            await asyncio.wait_for(proc.wait(), timeout=limit)
        except asyncio.TimeoutError:
            timed_out = True
            kill_tree(proc.pid)
            await proc.wait()
        finally:
            self._procs.pop(name, None)
            self._watchers.pop(name, None)
        if self._closing:
            return
        await self._record_exit(name, proc.returncode or 0, log_path, timed_out)
        if self.on_finished is not None:
            self.on_finished(name)
        await self.schedule()

    async def _record_exit(self, name: str, code: int, log_path: Path, timed_out: bool) -> None:
        try:
            row = await asyncio.to_thread(self.store.experiment_row, name)
        except Exception:  # deleted meanwhile
            return
        status = m.ExperimentStatus(row["status"])
        if status not in _RUNNING:
            return  # the worker recorded its own outcome
        if status is m.ExperimentStatus.Stopping:
            new, reason = m.ExperimentStatus.Stopped, None
        elif timed_out:
            new = m.ExperimentStatus.Failed
            reason = (
                "The experiment exceeded its maximum job runtime and was stopped. Finished "
                "candidates are kept; raise max_job_runtime_seconds to search longer."
            )
        else:
            new, reason = m.ExperimentStatus.Failed, exit_reason(code, _tail(log_path))
        await asyncio.to_thread(
            self.store.mark_unfinished_candidates, name, m.CandidateStatus.Stopped
        )
        await asyncio.to_thread(self.store.fail_running_stages, name, reason or "Stopped.")
        await asyncio.to_thread(
            self.store.update_experiment,
            name,
            status=new,
            failure_reason=reason,
            ended_at=m.utcnow(),
            worker_pid=None,
        )
        if reason:
            await asyncio.to_thread(self.store.add_event, name, f"Failed: {reason}")

    # -- stop ------------------------------------------------------------------------
    async def stop(self, name: str) -> None:
        """Ask a running worker to stop; escalate to signals if it does not."""
        proc = self._procs.get(name)
        if proc is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(proc.wait()), timeout=STOP_GRACE_SECONDS)
            return
        except asyncio.TimeoutError:
            pass
        kill_tree(proc.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(asyncio.shield(proc.wait()), timeout=5)
        except asyncio.TimeoutError:
            kill_tree(proc.pid)

    async def wait(self, name: str) -> None:
        """Wait until experiment `name`'s worker (if any) has exited and been recorded."""
        task = self._watchers.get(name)
        if task is not None:
            await asyncio.shield(task)

    async def shutdown(self) -> None:
        """Server stopping: stop every worker and record the experiments as Interrupted."""
        self._closing = True
        for proc in list(self._procs.values()):
            kill_tree(proc.pid)
            try:
                await asyncio.wait_for(proc.wait(), timeout=5)
            except asyncio.TimeoutError:
                pass
        for task in list(self._watchers.values()):
            task.cancel()
        await self.recover()


def _tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])[-1000:]
