"""Monitoring of local endpoints: capture settings, baselines, drift reports, schedule.

The endpoint process writes the captured requests (see `serving.server`); baselines and
reports are built in the CPU helper pool from files in the endpoint's folder, so the
Jupyter server's event loop only reads and writes small JSON.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ... import models as m
from ...exceptions import AutopilotError, Conflict, InvalidRequest, NotFound
from ...monitoring import reports
from .cpu import CpuPool
from .endpoints import EndpointManager

#: How often the scheduler looks for endpoints whose next report is due.
SCHEDULER_SECONDS = 30.0

#: Resolves an experiment's training data: (path, path shown to users); raises when gone.
DataSource = Callable[[str], Awaitable[tuple[Path, str]]]


#: What a local forecaster's endpoint offers instead of drift reports.
NO_DRIFT_HERE = " Its forecasts are captured (Captured requests) when data capture is on."


class EndpointMonitor:
    """Model Monitor's core for local endpoints."""

    def __init__(
        self,
        endpoints: EndpointManager,
        cpu: CpuPool,
        data_source: DataSource,
        memory_limit: Callable[[], int],
        log: Any,
    ):
        self.endpoints = endpoints
        self.cpu = cpu
        self.data_source = data_source
        #: The engine's memory limit for reading training data (it follows the machine).
        self.memory_limit = memory_limit
        self.log = log
        self._locks: dict[str, asyncio.Lock] = {}
        self._scheduler: asyncio.Task[None] | None = None
        self._background: set[asyncio.Future[None]] = set()

    def _lock(self, name: str) -> asyncio.Lock:
        return self._locks.setdefault(name, asyncio.Lock())

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        self._scheduler = asyncio.ensure_future(self._schedule_forever())

    async def shutdown(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()

    async def _schedule_forever(self) -> None:
        while True:
            await asyncio.sleep(SCHEDULER_SECONDS)
            try:
                await self.run_due_reports(datetime.now(timezone.utc))
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad endpoint must not stop the scheduler
                self.log.exception("Scheduled monitoring failed")

    # -- API ---------------------------------------------------------------------------
    async def monitoring_status(self, name: str) -> m.MonitoringStatus:
        capture, schedule, row = await self.endpoints.monitoring_config(name)
        error = self._baseline_error(row)
        return await asyncio.to_thread(
            reports.status, self.endpoints.folder(name), name, capture, schedule, error
        )

    async def configure_monitoring(
        self, name: str, config: m.MonitoringConfig
    ) -> m.MonitoringStatus:
        _, _, row = await self.endpoints.monitoring_config(name)
        forecaster = await asyncio.to_thread(self._forecaster, row)
        if forecaster and config.schedule_minutes:
            raise InvalidRequest(
                reports.FORECASTER_HAS_NO_DRIFT.format(endpoint=name) + NO_DRIFT_HERE,
                details=[{"field": "schedule_minutes"}],
            )
        await self.endpoints.configure_monitoring(name, config)
        if config.data_capture.enabled and not forecaster:
            # Profile the training data now, while the file is most likely still there.
            task = asyncio.ensure_future(self._baseline_quietly(name))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return await self.monitoring_status(name)

    async def describe_monitoring_report(self, name: str, report_id: str) -> m.MonitoringReport:
        await self.endpoints.monitoring_config(name)  # 404 for an unknown endpoint
        found = await asyncio.to_thread(reports.read_report, self.endpoints.folder(name), report_id)
        if found is None:
            raise NotFound(f"Endpoint {name!r} has no monitoring report {report_id!r}.")
        return found

    async def list_captures(self, name: str, query: m.ListCapturesQuery) -> m.CapturedRecords:
        await self.endpoints.monitoring_config(name)
        return await asyncio.to_thread(
            reports.captured_records, self.endpoints.folder(name), query.limit
        )

    async def run_monitoring_report(
        self, name: str, request: m.MonitoringReportRequest, trigger: str = "on_demand"
    ) -> m.MonitoringReport:
        """Compare the window's captured data with the baseline (built first if needed)."""
        _, _, row = await self.endpoints.monitoring_config(name)
        if await asyncio.to_thread(self._forecaster, row):
            raise Conflict(reports.FORECASTER_HAS_NO_DRIFT.format(endpoint=name) + NO_DRIFT_HERE)
        until = datetime.now(timezone.utc)
        since = until - timedelta(hours=request.window_hours)
        folder = self.endpoints.folder(name)
        async with self._lock(name):
            await self._ensure_baseline(name, row)
            records, _, _ = await asyncio.to_thread(_window_stats, folder, since)
            if not records:
                raise Conflict(
                    f"Endpoint {name!r} has no captured data in the last "
                    f"{request.window_hours:g} hours: enable data capture and send it some "
                    "requests first."
                )
            report = await self.cpu.run(reports.build_report, folder, name, since, until, trigger)
        await self.endpoints.record_monitoring(name, last_report_at=until.isoformat())
        return report

    async def run_due_reports(self, now: datetime) -> list[str]:
        """Run the scheduled reports that are due at `now`; returns the endpoints done."""
        done = []
        for row in await asyncio.to_thread(self.endpoints.store.endpoint_rows):
            name = row["name"]
            _, schedule, _ = await self.endpoints.monitoring_config(name)
            if not schedule or row["status"] != m.EndpointStatus.InService.value:
                continue
            last = _last_report_at(row)
            if last is not None and now - last < timedelta(minutes=schedule):
                continue
            window = m.MonitoringReportRequest(window_hours=schedule / 60)
            try:
                await self.run_monitoring_report(name, window, trigger="schedule")
            except Conflict:
                # Nothing captured in this interval: try again next interval.
                await self.endpoints.record_monitoring(name, last_report_at=now.isoformat())
                continue
            done.append(name)
        return done

    def _forecaster(self, row: Any) -> bool:
        """The endpoint serves a forecaster (its experiment's problem type says)."""
        try:
            found = self.endpoints.store.experiment_row(row["experiment"])
        except NotFound:
            return False
        return bool(found["problem_type"] == m.ProblemType.time_series_forecasting.value)

    # -- baseline -------------------------------------------------------------------------
    @staticmethod
    def _baseline_error(row: Any) -> str | None:
        return json.loads(row["data"]).get("monitoring", {}).get("baseline_error")

    async def _baseline_quietly(self, name: str) -> None:
        try:
            _, _, row = await self.endpoints.monitoring_config(name)
            async with self._lock(name):
                await self._ensure_baseline(name, row)
        except AutopilotError as error:
            self.log.warning("No monitoring baseline for %s: %s", name, error.message)
        except Exception:
            self.log.exception("Building the monitoring baseline of %s failed", name)

    async def _ensure_baseline(self, name: str, row: Any) -> None:
        folder = self.endpoints.folder(name)
        if await asyncio.to_thread(reports.baseline_path(folder).is_file):
            return
        try:
            data_path, source = await self.data_source(row["experiment"])
            await self.cpu.run(
                reports.build_baseline,
                folder,
                data_path,
                source,
                Path(row["model_path"]),
                row["model_sha256"],
                self.memory_limit(),
            )
        except (AutopilotError, OSError, ValueError) as error:
            message = getattr(error, "message", None) or str(error)
            reason = f"The baseline needs the experiment's training data: {message}"
            await self.endpoints.record_monitoring(name, baseline_error=reason)
            raise Conflict(reason) from None
        await self.endpoints.record_monitoring(name, baseline_error=None)


def _window_stats(folder: Path, since: datetime) -> tuple[int, int, datetime | None]:
    from ...monitoring import capture

    records = list(capture.iter_records(reports.capture_dir(folder), since))
    rows = sum(len(r.get("rows", [])) for r in records)
    return len(records), rows, records[-1]["captured_at"] if records else None


def _last_report_at(row: Any) -> datetime | None:
    value = json.loads(row["data"]).get("monitoring", {}).get("last_report_at")
    return datetime.fromisoformat(value) if value else None
