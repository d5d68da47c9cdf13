"""The engine's Reporter, writing progress into the work dir's database (in the worker)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ... import models as m
from .store import Store

log = logging.getLogger(__name__)

#: How often the worker re-reads the stop flag; the engine may ask many times a second.
STOP_POLL_SECONDS = 0.5


class StoreReporter:
    """Implements `engine.reporting.Reporter` on top of `Store`.

    Reporting must never break training: database errors are logged and swallowed.
    """

    def __init__(self, store: Store, experiment: str):
        self.store = store
        self.experiment = experiment
        self._stop_checked = 0.0
        self._stop = False

    def _safe(self, what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except Exception:  # pragma: no cover - logged, training goes on
            log.exception("could not record %s for %s", what, self.experiment)

    def stage(
        self,
        stage: m.StageName,
        status: m.StageStatus,
        message: str | None = None,
        progress: float | None = None,
    ) -> None:
        self._safe("stage", self.store.set_stage, self.experiment, stage, status, message, progress)
        if message and status is not m.StageStatus.running:
            self.message(f"{m.STAGE_TITLES[stage]}: {status.value}. {message}")

    def problem(self, problem_type: m.ProblemType, metric: m.ObjectiveMetric) -> None:
        self._safe(
            "problem type",
            self.store.update_experiment,
            self.experiment,
            problem_type=problem_type,
            objective_metric=metric,
        )

    def warnings(self, warnings: list[m.DataWarning]) -> None:
        self._safe("warnings", self.store.update_experiment, self.experiment, warnings=warnings)

    def candidate(self, candidate: m.Candidate) -> None:
        self._safe("candidate", self.store.upsert_candidate, self.experiment, candidate)

    def best(self, candidate_name: str) -> None:
        self._safe(
            "best candidate",
            self.store.update_experiment,
            self.experiment,
            best_candidate=candidate_name,
        )

    def artifact(self, kind: m.ArtifactKind, path: Path) -> None:
        self._safe("artifact", self.store.set_artifact, self.experiment, kind, Path(path))

    def message(self, text: str) -> None:
        self._safe("event", self.store.add_event, self.experiment, str(text))

    def stop_requested(self) -> bool:
        now = time.monotonic()
        if not self._stop and now - self._stop_checked >= STOP_POLL_SECONDS:
            self._stop_checked = now
            try:
                row = self.store.experiment_row(self.experiment)
                self._stop = bool(row["stop_requested"])
            except Exception:  # pragma: no cover
                log.exception("could not read the stop flag of %s", self.experiment)
        return self._stop
