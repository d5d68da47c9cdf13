"""How the engine tells the outside world what it is doing.

The engine never knows about Jupyter, SQLite or HTTP. It calls a `Reporter`; the local
backend's worker passes one that writes to the work dir's database, the CLI passes one
that prints, tests pass `RecordingReporter` and inspect what was reported.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..models import (
    ArtifactKind,
    Candidate,
    DataWarning,
    ObjectiveMetric,
    ProblemType,
    StageName,
    StageStatus,
)


class StopRequested(Exception):
    """Raised inside the engine when the user asked to stop; finished work is kept."""


@runtime_checkable
class Reporter(Protocol):
    """Progress sink. Every method must be cheap and must not raise."""

    def stage(
        self,
        stage: StageName,
        status: StageStatus,
        message: str | None = None,
        progress: float | None = None,
    ) -> None:
        """A stage started (running), progressed, or ended (done/failed/skipped)."""

    def problem(self, problem_type: ProblemType, metric: ObjectiveMetric) -> None:
        """The resolved problem type and objective metric (known after pre-processing)."""

    def warnings(self, warnings: list[DataWarning]) -> None:
        """Data warnings found while analysing the data (replaces earlier ones)."""

    def candidate(self, candidate: Candidate) -> None:
        """A candidate was created or changed (insert or update by `candidate.name`)."""

    def best(self, candidate_name: str) -> None:
        """The best candidate so far changed."""

    def artifact(self, kind: ArtifactKind, path: Path) -> None:
        """An artifact file was written (absolute path)."""

    def message(self, text: str) -> None:
        """A human-readable line for the experiment's log."""

    def stop_requested(self) -> bool:
        """True once the user asked to stop; the engine then ends cleanly and soon."""


class NullReporter:
    """Reports nothing; never asks to stop."""

    def stage(self, stage, status, message=None, progress=None) -> None:
        pass

    def problem(self, problem_type, metric) -> None:
        pass

    def warnings(self, warnings) -> None:
        pass

    def candidate(self, candidate) -> None:
        pass

    def best(self, candidate_name) -> None:
        pass

    def artifact(self, kind, path) -> None:
        pass

    def message(self, text) -> None:
        pass

    def stop_requested(self) -> bool:
        return False


class RecordingReporter(NullReporter):
    """Keeps everything reported, for tests; `request_stop()` simulates the Stop button."""

    def __init__(self) -> None:
        self.events: list[tuple] = []
        self.candidates: dict[str, Candidate] = {}
        self.best_name: str | None = None
        self.artifacts: dict[ArtifactKind, Path] = {}
        self.problem_type: ProblemType | None = None
        self.metric: ObjectiveMetric | None = None
        self.data_warnings: list[DataWarning] = []
        self._stop = threading.Event()

    def stage(self, stage, status, message=None, progress=None) -> None:
        self.events.append(("stage", stage, status, message, progress))

    def problem(self, problem_type, metric) -> None:
        self.problem_type, self.metric = problem_type, metric

    def warnings(self, warnings) -> None:
        self.data_warnings = list(warnings)

    def candidate(self, candidate) -> None:
        self.candidates[candidate.name] = candidate

    def best(self, candidate_name) -> None:
        self.best_name = candidate_name

    def artifact(self, kind, path) -> None:
        self.artifacts[kind] = Path(path)

    def message(self, text) -> None:
        self.events.append(("message", text))

    def request_stop(self) -> None:
        self._stop.set()

    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def stage_statuses(self, stage: StageName) -> list[StageStatus]:
        """Every status reported for one stage, in order."""
        return [e[2] for e in self.events if e[0] == "stage" and e[1] == stage]
