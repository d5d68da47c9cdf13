"""The local backend's state: one SQLite database in the work dir.

Both the Jupyter server (through a thread pool) and the worker processes write here.
WAL mode lets readers proceed while a worker writes, so listing experiments never
waits for training. Nested values are pydantic models stored as JSON.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import models as m
from ...exceptions import Conflict, NotFound
from ...ranking import objective_goal
from .extend import EXTENDABLE, can_extend
from .schema import create_or_upgrade

if TYPE_CHECKING:
    from ...engine.config import JobConfig


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Store:
    """Typed access to the database. Safe to use from many threads and processes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        create_or_upgrade(self._connection())

    # -- connections -----------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable against process crashes (our fault model) in WAL mode.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction: writers queue instead of failing with SQLITE_BUSY."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        return self._connection()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- experiments -----------------------------------------------------------------
    def insert_experiment(
        self,
        spec: m.ExperimentSpec,
        budget: m.Budget,
        config: JobConfig,
        warnings: list[m.DataWarning],
    ) -> None:
        """Insert a Queued experiment with the configuration its worker will run;
        `Conflict` when the name is taken (atomically)."""
        now = m.utcnow()
        try:
            with self.transaction() as db:
                db.execute(
                    """INSERT INTO experiments (name, spec, budget, status, problem_type,
                       objective_metric, warnings, data_path, output_dir, job_config,
                       created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        spec.name,
                        spec.model_dump_json(),
                        budget.model_dump_json(),
                        m.ExperimentStatus.Queued.value,
                        spec.problem_type.value,
                        spec.objective_metric.value if spec.objective_metric else None,
                        json.dumps([w.model_dump(mode="json") for w in warnings]),
                        str(config.data_path),
                        str(config.output_dir),
                        config.model_dump_json(),
                        _iso(now),
                        _iso(now),
                    ),
                )
                self._reset_stages(db, spec.name)
        except sqlite3.IntegrityError:
            raise Conflict(
                f"An experiment named {spec.name!r} already exists; choose another name "
                "or delete the old experiment first."
            ) from None

    @staticmethod
    def _reset_stages(db: sqlite3.Connection, name: str) -> None:
        db.execute("DELETE FROM stages WHERE experiment = ?", (name,))
        db.executemany(
            "INSERT INTO stages (experiment, position, name, status) VALUES (?, ?, ?, ?)",
            [(name, i, stage.value, "pending") for i, stage in enumerate(m.StageName)],
        )

    def experiment_row(self, name: str) -> sqlite3.Row:
        row = self.read().execute("SELECT * FROM experiments WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"There is no experiment named {name!r}.")
        return row

    def experiment_names(self, statuses: set[m.ExperimentStatus] | None = None) -> list[str]:
        rows = self.read().execute("SELECT name, status FROM experiments ORDER BY created_at")
        return [
            r["name"]
            for r in rows
            if statuses is None or m.ExperimentStatus(r["status"]) in statuses
        ]

    def _stages(self, name: str) -> list[m.Stage]:
        rows = self.read().execute(
            "SELECT * FROM stages WHERE experiment = ? ORDER BY position", (name,)
        )
        return [
            m.Stage(
                name=m.StageName(r["name"]),
                title=m.STAGE_TITLES[m.StageName(r["name"])],
                status=m.StageStatus(r["status"]),
                started_at=_dt(r["started_at"]),
                ended_at=_dt(r["ended_at"]),
                message=r["message"],
                progress=r["progress"],
            )
            for r in rows
        ]

    def _summary_fields(self, row: sqlite3.Row, backend: str) -> dict[str, Any]:
        name = row["name"]
        stages = self._stages(name)
        running = [s.name for s in stages if s.status is m.StageStatus.running]
        metric = m.ObjectiveMetric(row["objective_metric"]) if row["objective_metric"] else None
        best = None
        if row["best_candidate"]:
            cand = (
                self.read()
                .execute(
                    "SELECT data FROM candidates WHERE experiment = ? AND name = ?",
                    (name, row["best_candidate"]),
                )
                .fetchone()
            )
            if cand is not None:
                c = m.Candidate.model_validate_json(cand["data"])
                best = m.BestCandidate(
                    name=c.name, algorithm=c.algorithm, objective_value=c.objective_value
                )
        completed = (
            self.read()
            .execute(
                "SELECT COUNT(*) FROM candidates WHERE experiment = ? AND status = 'Completed'",
                (name,),
            )
            .fetchone()[0]
        )
        spec = m.ExperimentSpec.model_validate_json(row["spec"])
        return {
            "name": name,
            "backend": backend,
            "status": m.ExperimentStatus(row["status"]),
            "current_stage": running[0] if running else None,
            "stages": stages,
            "problem_type": m.ProblemType(row["problem_type"]),
            "objective": m.ObjectiveInfo(
                metric=metric,
                goal=objective_goal(metric),
            )
            if metric
            else None,
            "best_candidate": best,
            "candidates_completed": completed,
            "created_at": _dt(row["created_at"]),
            "ended_at": _dt(row["ended_at"]),
            "failure_reason": row["failure_reason"],
            "tags": spec.tags,
            "mode": spec.mode,
        }

    def experiment(self, name: str, backend: str) -> m.Experiment:
        row = self.experiment_row(name)
        status = m.ExperimentStatus(row["status"])
        spec = m.ExperimentSpec.model_validate_json(row["spec"])
        details = {"output_dir": row["output_dir"], "run": str(row["run"])}
        if row["worker_pid"]:
            details["worker_pid"] = str(row["worker_pid"])
        summary = self._summary_fields(row, backend)
        return m.Experiment(
            **summary,
            spec=spec,
            budget=m.Budget.model_validate_json(row["budget"]),
            status_message=row["status_message"],
            started_at=_dt(row["started_at"]),
            updated_at=_dt(row["updated_at"]),
            warnings=[m.DataWarning.model_validate(w) for w in json.loads(row["warnings"])],
            can_rerun=status in m.TERMINAL_STATUSES,
            can_extend=can_extend(
                status, spec.mode, summary["candidates_completed"], spec.problem_type
            ),
            history=[m.HistoryEntry.model_validate(h) for h in json.loads(row["history"])],
            backend_details=details,
        )

    def list_experiments(self, query: m.ListExperimentsQuery, backend: str) -> m.ExperimentList:
        where, args = [], []
        if query.status is not None:
            where.append("status = ?")
            args.append(query.status.value)
        if query.search:
            where.append("instr(lower(name), lower(?)) > 0")
            args.append(query.search)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        order = "DESC" if query.order == "desc" else "ASC"
        db = self.read()
        total = db.execute(f"SELECT COUNT(*) FROM experiments {clause}", args).fetchone()[0]
        rows = db.execute(
            f"SELECT * FROM experiments {clause} ORDER BY {query.sort_by} {order}, name "
            "LIMIT ? OFFSET ?",
            [*args, query.limit, query.offset],
        ).fetchall()
        return m.ExperimentList(
            experiments=[m.ExperimentSummary(**self._summary_fields(r, backend)) for r in rows],
            total=total,
        )

    def update_experiment(self, name: str, **fields: Any) -> None:
        """Set columns of one experiment (values: enums, datetimes, models or plain)."""
        if not fields:
            return
        fields.setdefault("updated_at", m.utcnow())
        values = []
        for value in fields.values():
            if isinstance(value, datetime):
                value = _iso(value)
            elif hasattr(value, "value") and not isinstance(value, (int, float, str)):
                value = value.value
            elif isinstance(value, list):
                value = json.dumps([v.model_dump(mode="json") for v in value])
            values.append(value)
        columns = ", ".join(f"{key} = ?" for key in fields)
        with self.transaction() as db:
            cursor = db.execute(f"UPDATE experiments SET {columns} WHERE name = ?", [*values, name])
            if cursor.rowcount == 0:
                raise NotFound(f"There is no experiment named {name!r}.")

    def transition(
        self, name: str, allowed: set[m.ExperimentStatus], **fields: Any
    ) -> m.ExperimentStatus | None:
        """Update only if the status is one of `allowed` (compare-and-set); return the old status."""
        with self.transaction() as db:
            row = db.execute("SELECT status FROM experiments WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotFound(f"There is no experiment named {name!r}.")
            old = m.ExperimentStatus(row["status"])
            if old not in allowed:
                return None
        self.update_experiment(name, **fields)
        return old

    def job_config(self, name: str) -> JobConfig | None:
        """The configuration validated for the experiment's current run (None for an
        experiment queued by a version that did not store it)."""
        from ...engine.config import JobConfig

        stored = self.experiment_row(name)["job_config"]
        return JobConfig.model_validate_json(stored) if stored else None

    @staticmethod
    def _status_in(
        db: sqlite3.Connection, name: str, allowed: set[m.ExperimentStatus], action: str
    ) -> None:
        """Inside a transaction: 404 if the experiment is gone, 409 unless its status is
        one of `allowed` (a concurrent delete, re-run or start may have won)."""
        row = db.execute("SELECT status FROM experiments WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(
                f"There is no experiment named {name!r} (it may just have been deleted)."
            )
        status = m.ExperimentStatus(row["status"])
        if status not in allowed:
            raise Conflict(f"Experiment {name!r} is {status.value}; {action}.")

    def reset_for_rerun(self, name: str, config: JobConfig) -> None:
        """Queue an ended experiment again, to run `config` (validated anew), atomically
        with the check that it has ended."""
        with self.transaction() as db:
            self._status_in(
                db, name, m.TERMINAL_STATUSES, "stop it or wait for it to end before re-running"
            )
            db.execute("DELETE FROM candidates WHERE experiment = ?", (name,))
            db.execute("DELETE FROM artifacts WHERE experiment = ?", (name,))
            self._reset_stages(db, name)
            db.execute(
                """UPDATE experiments SET status = 'Queued', status_message = NULL,
                   failure_reason = NULL, best_candidate = NULL, model_sha256 = NULL, worker_pid = NULL,
                   stop_requested = 0, run = run + 1, started_at = NULL, ended_at = NULL,
                   history = '[]', data_path = ?, output_dir = ?, job_config = ?, updated_at = ?
                   WHERE name = ?""",
                (
                    str(config.data_path),
                    str(config.output_dir),
                    config.model_dump_json(),
                    _iso(m.utcnow()),
                    name,
                ),
            )

    def reset_for_extend(
        self,
        name: str,
        config: JobConfig,
        budget: m.Budget,
        rebuilt: list[str],
        entry: m.HistoryEntry,
    ) -> None:
        """Queue an ended experiment to continue its search (`config`), keeping its
        trials; the entries built after the search (`rebuilt`: ensemble, bagged model) and
        the artifacts are redone by the run. Atomic with the check that it can still be
        continued (`EXTENDABLE`); `entry` goes into its history."""
        with self.transaction() as db:
            self._status_in(db, name, EXTENDABLE, "only an ended experiment can be continued")
            history = json.loads(
                db.execute("SELECT history FROM experiments WHERE name = ?", (name,)).fetchone()[0]
            )
            history.append(entry.model_dump(mode="json"))
            db.executemany(
                "DELETE FROM candidates WHERE experiment = ? AND name = ?",
                [(name, candidate) for candidate in rebuilt],
            )
            db.execute("DELETE FROM artifacts WHERE experiment = ?", (name,))
            self._reset_stages(db, name)
            now = _iso(m.utcnow())
            db.execute(
                """UPDATE experiments SET status = 'Queued', status_message = NULL,
                   failure_reason = NULL, best_candidate = NULL, model_sha256 = NULL,
                   worker_pid = NULL, stop_requested = 0, run = run + 1, started_at = NULL,
                   ended_at = NULL, budget = ?, job_config = ?, history = ?, updated_at = ?
                   WHERE name = ?""",
                (
                    budget.model_dump_json(),
                    config.model_dump_json(),
                    json.dumps(history),
                    now,
                    name,
                ),
            )
            db.execute(
                "INSERT INTO events (experiment, at, text) VALUES (?, ?, ?)",
                (name, now, entry.message),
            )

    def delete_experiment(self, name: str) -> None:
        """Forget an ended experiment, atomically with the check that it has ended (a
        re-run at the same moment may have queued it again)."""
        with self.transaction() as db:
            self._status_in(db, name, m.TERMINAL_STATUSES, "stop it before deleting it")
            db.execute("DELETE FROM experiments WHERE name = ?", (name,))

    # -- stages ----------------------------------------------------------------------
    def set_stage(
        self,
        name: str,
        stage: m.StageName,
        status: m.StageStatus,
        message: str | None = None,
        progress: float | None = None,
    ) -> None:
        now = _iso(m.utcnow())
        with self.transaction() as db:
            row = db.execute(
                "SELECT status, started_at FROM stages WHERE experiment = ? AND name = ?",
                (name, stage.value),
            ).fetchone()
            if row is None:
                return
            started = row["started_at"]
            ended = None
            if status is m.StageStatus.running and started is None:
                started = now
            if status in (m.StageStatus.done, m.StageStatus.failed, m.StageStatus.skipped):
                ended = now
                if status is not m.StageStatus.skipped and started is None:
                    started = now
            db.execute(
                """UPDATE stages SET status = ?, started_at = ?, ended_at = ?,
                   message = COALESCE(?, message), progress = COALESCE(?, progress)
                   WHERE experiment = ? AND name = ?""",
                (status.value, started, ended, message, progress, name, stage.value),
            )
            db.execute("UPDATE experiments SET updated_at = ? WHERE name = ?", (now, name))

    def fail_running_stages(self, name: str, message: str) -> None:
        """Mark the running stage failed and the pending ones skipped (after a crash/stop)."""
        for stage in self._stages(name):
            if stage.status is m.StageStatus.running:
                self.set_stage(name, stage.name, m.StageStatus.failed, message)
            elif stage.status is m.StageStatus.pending:
                self.set_stage(name, stage.name, m.StageStatus.skipped)

    # -- candidates ------------------------------------------------------------------
    def upsert_candidate(self, experiment: str, candidate: m.Candidate) -> None:
        with self.transaction() as db:
            seq = db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM candidates WHERE experiment = ?",
                (experiment,),
            ).fetchone()[0]
            db.execute(
                """INSERT INTO candidates (experiment, name, seq, status, objective, data)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (experiment, name) DO UPDATE SET
                   status = excluded.status, objective = excluded.objective, data = excluded.data""",
                (
                    experiment,
                    candidate.name,
                    seq,
                    candidate.status.value,
                    candidate.objective_value,
                    candidate.model_dump_json(),
                ),
            )

    def candidates(self, experiment: str) -> list[m.Candidate]:
        rows = self.read().execute(
            "SELECT data FROM candidates WHERE experiment = ? ORDER BY seq", (experiment,)
        )
        return [m.Candidate.model_validate_json(r["data"]) for r in rows]

    def mark_unfinished_candidates(self, experiment: str, status: m.CandidateStatus) -> None:
        for cand in self.candidates(experiment):
            if cand.status is m.CandidateStatus.InProgress:
                self.upsert_candidate(
                    experiment, cand.model_copy(update={"status": status, "ended_at": m.utcnow()})
                )

    # -- artifacts and events --------------------------------------------------------
    def set_artifact(self, experiment: str, kind: m.ArtifactKind, path: Path) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO artifacts (experiment, kind, path) VALUES (?, ?, ?)",
                (experiment, kind.value, str(path)),
            )

    def artifacts(self, experiment: str) -> dict[m.ArtifactKind, Path]:
        rows = self.read().execute(
            "SELECT kind, path FROM artifacts WHERE experiment = ?", (experiment,)
        )
        return {m.ArtifactKind(r["kind"]): Path(r["path"]) for r in rows}

    def add_event(self, experiment: str, text: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO events (experiment, at, text) VALUES (?, ?, ?)",
                (experiment, _iso(m.utcnow()), text[:2000]),
            )

    def events(self, experiment: str, limit: int = 200) -> list[tuple[datetime, str]]:
        rows = (
            self.read()
            .execute(
                "SELECT at, text FROM events WHERE experiment = ? ORDER BY id DESC LIMIT ?",
                (experiment, limit),
            )
            .fetchall()
        )
        return [(_dt(r["at"]), r["text"]) for r in reversed(rows)]  # type: ignore[misc]

    # -- endpoints -------------------------------------------------------------------
    def insert_endpoint(
        self,
        name: str,
        experiment: str,
        candidate: str,
        model_path: Path,
        model_sha256: str,
        data: dict[str, Any],
    ) -> None:
        """Record a Creating endpoint; `Conflict` when the name is taken."""
        now = _iso(m.utcnow())
        try:
            with self.transaction() as db:
                db.execute(
                    """INSERT INTO endpoints (name, experiment, candidate, status, model_path,
                       model_sha256, data, created_at, updated_at)
                       VALUES (?, ?, ?, 'Creating', ?, ?, ?, ?, ?)""",
                    (
                        name,
                        experiment,
                        candidate,
                        str(model_path),
                        model_sha256,
                        json.dumps(data),
                        now,
                        now,
                    ),
                )
        except sqlite3.IntegrityError:
            raise Conflict(
                f"An endpoint named {name!r} already exists; choose another name or delete it."
            ) from None

    def endpoint_row(self, name: str) -> sqlite3.Row:
        row = self.read().execute("SELECT * FROM endpoints WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFound(f"There is no endpoint named {name!r}.")
        return row

    def endpoint_rows(self, experiment: str | None = None) -> list[sqlite3.Row]:
        if experiment is None:
            return self.read().execute("SELECT * FROM endpoints ORDER BY created_at").fetchall()
        return (
            self.read()
            .execute(
                "SELECT * FROM endpoints WHERE experiment = ? ORDER BY created_at", (experiment,)
            )
            .fetchall()
        )

    def update_endpoint(self, name: str, **fields: Any) -> None:
        fields.setdefault("updated_at", m.utcnow())
        values = [
            _iso(v) if isinstance(v, datetime) else getattr(v, "value", v) for v in fields.values()
        ]
        columns = ", ".join(f"{key} = ?" for key in fields)
        with self.transaction() as db:
            db.execute(f"UPDATE endpoints SET {columns} WHERE name = ?", [*values, name])

    def delete_endpoint(self, name: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM endpoints WHERE name = ?", (name,))

    # -- batch predictions -------------------------------------------------------------
    def save_batch(self, batch: m.BatchPrediction) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO batch_predictions (id, endpoint, data) VALUES (?, ?, ?)",
                (batch.id, batch.endpoint, batch.model_dump_json()),
            )

    def unfinished_batches(self) -> list[m.BatchPrediction]:
        """Batch predictions recorded as InProgress."""
        rows = self.read().execute("SELECT data FROM batch_predictions").fetchall()
        batches = [m.BatchPrediction.model_validate_json(row["data"]) for row in rows]
        return [b for b in batches if b.status is m.BatchStatus.InProgress]

    def batch(self, batch_id: str) -> m.BatchPrediction:
        row = (
            self.read()
            .execute("SELECT data FROM batch_predictions WHERE id = ?", (batch_id,))
            .fetchone()
        )
        if row is None:
            raise NotFound(f"There is no batch prediction with id {batch_id!r}.")
        return m.BatchPrediction.model_validate_json(row["data"])
