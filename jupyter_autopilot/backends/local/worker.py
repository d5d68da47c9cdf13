"""The worker process that runs one experiment: `python -m ...local.worker DB NAME`.

Started by the Jupyter server (JobManager), one per running experiment. It reads the
experiment's configuration from the database (the engine's `JobConfig`, built and
validated when the experiment was created), runs the engine with it, logs it first in
worker.log, and records the outcome. It dies
with the server (PR_SET_PDEATHSIG), so a killed server leaves no orphan trainers; the
restarted server then finds the experiment InProgress with a dead pid and marks it
Interrupted.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from ... import models as m
from ...exceptions import AutopilotError
from ...processes import die_with_parent
from .reporter import StoreReporter
from .store import Store

if TYPE_CHECKING:
    from ...engine import JobResult

log = logging.getLogger("jupyter_autopilot.worker")

#: Exit codes the server reads when the database could not be updated.
EXIT_FAILED = 3


def describe_failure(error: BaseException) -> str:
    """A one-paragraph reason a user can act on."""
    if isinstance(error, AutopilotError):
        return error.message
    if isinstance(error, MemoryError):
        return (
            "The worker ran out of memory. Use a smaller file, exclude wide text columns, "
            "or give the machine more memory."
        )
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return (
            "The disk is full: the worker could not write its results. Free some space "
            "(or clean up old experiments) and re-run."
        )
    return f"{type(error).__name__}: {error}"


#: Fault injection for the reliability tests: `<experiment>:<fault>:<stage>` with fault
#: one of crash, hang (and ignore SIGTERM), hold (stay in the stage until killed),
#: disk_full, memory; several, one per experiment, separated by commas. Never set in
#: normal use.
FAULT_ENV = "JUPYTER_AUTOPILOT_FAULT"


class FaultInjectingReporter(StoreReporter):
    """Misbehaves on purpose when a stage starts, to prove the server copes."""

    def __init__(self, store: Store, experiment: str, fault: str, stage: str):
        super().__init__(store, experiment)
        self.fault, self.fault_stage = fault, stage

    def stage(
        self,
        stage: m.StageName,
        status: m.StageStatus,
        message: str | None = None,
        progress: float | None = None,
    ) -> None:
        super().stage(stage, status, message, progress)
        if stage.value != self.fault_stage or status is not m.StageStatus.running:
            return
        if self.fault == "crash":
            os._exit(70)
        if self.fault == "hang":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            while True:
                time.sleep(60)
        if self.fault == "hold":  # a stage that lasts until the test kills the server
            while True:
                time.sleep(60)
        if self.fault == "disk_full":
            raise OSError(errno.ENOSPC, "No space left on device")
        if self.fault == "memory":
            raise MemoryError()


def make_reporter(store: Store, name: str) -> StoreReporter:
    for fault in os.environ.get(FAULT_ENV, "").split(","):
        parts = fault.split(":")
        if len(parts) == 3 and parts[0] == name:
            return FaultInjectingReporter(store, name, parts[1], parts[2])
    return StoreReporter(store, name)


def run(store: Store, name: str) -> int:
    """Run experiment `name` to its end; returns the process exit code."""
    from ...engine import JobConfig, run_job

    row = store.experiment_row(name)
    reporter = make_reporter(store, name)
    # The configuration validated when the experiment was created (or re-run), not
    # rebuilt here: what was checked is what runs.
    config = store.job_config(name)
    if config is None:
        # Queued by a version that did not store it: rebuilt from the spec as it did.
        config = JobConfig.from_spec(
            m.ExperimentSpec.model_validate_json(row["spec"]),
            m.Budget.model_validate_json(row["budget"]),
            data_path=Path(row["data_path"]),
            output_dir=Path(row["output_dir"]),
        )
    log.info("Running %s with %s", name, config.model_dump_json())
    reporter.message(f"Worker {os.getpid()} started run {row['run']}.")

    def on_term(signum: int, frame: object) -> None:
        # The server sends SIGTERM when Stop does not take effect soon enough.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    try:
        result = run_job(config, reporter)
    except KeyboardInterrupt:
        store.mark_unfinished_candidates(name, m.CandidateStatus.Stopped)
        store.fail_running_stages(name, "Stopped.")
        store.update_experiment(
            name, status=m.ExperimentStatus.Stopped, ended_at=m.utcnow(), worker_pid=None
        )
        return 0
    except BaseException as error:
        reason = describe_failure(error)
        log.error("experiment %s failed: %s", name, "".join(traceback.format_exception(error)))
        store.mark_unfinished_candidates(name, m.CandidateStatus.Failed)
        store.fail_running_stages(name, reason)
        store.add_event(name, f"Failed: {reason}")
        store.update_experiment(
            name,
            status=m.ExperimentStatus.Failed,
            failure_reason=reason,
            ended_at=m.utcnow(),
            worker_pid=None,
        )
        return EXIT_FAILED
    status = m.ExperimentStatus.Stopped if result.stopped else m.ExperimentStatus.Completed
    store.mark_unfinished_candidates(name, m.CandidateStatus.Stopped)
    store.fail_running_stages(name, "Stopped.")
    store.update_experiment(
        name,
        status=status,
        status_message=_summary(result),
        model_sha256=result.model_sha256,
        ended_at=m.utcnow(),
        worker_pid=None,
    )
    store.add_event(name, f"{status.value}.")
    return 0


def _summary(result: JobResult) -> str | None:
    if result.best_candidate is None:
        return (
            "No candidate finished."
            if not result.stopped
            else "Stopped before any candidate finished."
        )
    value = result.best_objective_value
    score = f" ({result.objective_metric.value} {value:.4f})" if value is not None else ""
    return f"Best candidate: {result.best_candidate}{score}."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path)
    parser.add_argument("experiment")
    args = parser.parse_args(argv)
    die_with_parent()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    store = Store(args.database)
    try:
        return run(store, args.experiment)
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
