"""Monitoring of SageMaker endpoints with the local monitor's reports.

SageMaker's data capture writes sampled requests and responses to S3
(`<destination>/<endpoint>/<variant>/YYYY/MM/DD/HH/*.jsonl`, one JSON event per line).
These functions copy new capture files into the endpoint's folder in the work dir, in the
local capture format, and profile a baseline from the head of the experiment's training
data on S3; `jupyter_autopilot.monitoring.reports` then builds the same drift reports as
for local endpoints. They block (boto3, pandas): callers run them in threads.
`EndpointMonitor` is the backend's part that uses them (capture settings live in the
endpoint config, so switching them makes a new config).
"""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import json
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ... import models as m
from ...exceptions import AutopilotError, Conflict, InvalidRequest, NotFound
from ...monitoring import capture, reports
from . import cache as ttl
from . import s3
from . import tags as t
from .errors import translate
from .serving import Endpoints
from .session import AwsSession
from .shared import Part, Shared
from .store import EndpointRecord

#: Capture files read per sync (the newest ones are what reports look at).
MAX_CAPTURE_FILES = 5000


#: A forecaster's endpoint has no drift reports (`reports.FORECASTER_HAS_NO_DRIFT`).
DRIFT_FOR_TABULAR = (
    reports.FORECASTER_HAS_NO_DRIFT
    + " Its captured requests and answers are in S3 under the capture destination."
)


def capture_destination(bucket: str, s3_prefix: str) -> str:
    """Where SageMaker writes captures of endpoints deployed here."""
    return s3.s3_uri(bucket, s3.join_key(s3_prefix, "data-capture"))


def data_capture_config(destination: str, config: m.DataCaptureConfig) -> dict[str, Any]:
    """The endpoint config's DataCaptureConfig: inputs and outputs, CSV kept as text."""
    return {
        "EnableCapture": config.enabled,
        "InitialSamplingPercentage": config.sampling_percentage,
        "DestinationS3Uri": destination,
        "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"]},
    }


def _payload_text(part: dict[str, Any]) -> str:
    data = part.get("data", "")
    if part.get("encoding") == "BASE64":
        return base64.b64decode(data).decode("utf-8", "replace")
    return str(data)


def _csv_rows(text: str) -> list[list[str | None]]:
    return [
        [cell if cell.strip() else None for cell in row]
        for row in csv.reader(io.StringIO(text))
        if row
    ]


def event_record(
    event: dict[str, Any], input_columns: list[str], keys: list[str]
) -> tuple[datetime, list[list[str | None]], dict[str, list[Any]]] | None:
    """(time, input rows, outputs by key) of one SageMaker capture event, if readable."""
    try:
        data = event["captureData"]
        when = datetime.fromisoformat(
            event["eventMetadata"]["inferenceTime"].replace("Z", "+00:00")
        )
        rows = _csv_rows(_payload_text(data["endpointInput"]))
        answers = _csv_rows(_payload_text(data.get("endpointOutput", {})))
    except (KeyError, ValueError, TypeError):
        return None
    if not rows or any(len(row) != len(input_columns) for row in rows):
        return None  # not the CSV rows this model reads (e.g. a JSON body sent directly)
    outputs: dict[str, list[Any]] = {}
    for index, key in enumerate(keys):
        if key not in ("predicted_label", "probability"):
            continue
        cells = [row[index] if index < len(row) else None for row in answers][: len(rows)]
        if key == "probability":
            outputs[key] = [float(v) if v else None for v in cells]
        else:
            outputs[key] = list(cells)
    return when, rows, outputs


def sync_captures(
    aws: AwsSession,
    destination: str,
    endpoint: str,
    endpoint_dir: Path,
    input_columns: list[str],
    keys: list[str],
) -> int:
    """Copy capture files not seen yet into the local capture folder; returns how many."""
    import pandas as pd  # here, not at the server's start (a second of imports)

    bucket, prefix = s3.parse_s3_uri(destination, what="capture destination")
    prefix = s3.join_key(prefix, endpoint) + "/"
    folder = reports.capture_dir(endpoint_dir)
    index_path = folder / ".synced.json"
    seen: set[str] = set(json.loads(index_path.read_text())) if index_path.is_file() else set()
    objects = s3.list_objects(aws, bucket, prefix, limit=MAX_CAPTURE_FILES)
    new = [o["Key"] for o in objects if o["Key"].endswith(".jsonl") and o["Key"] not in seen]
    client = aws.client("s3")
    for key in sorted(new):
        variant = key[len(prefix) :].split("/", 1)[0] or None
        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except Exception as exc:
            raise translate(exc, f"read s3://{bucket}/{key}", region=aws.region_or_none) from exc
        for line in body.decode("utf-8", "replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            parsed = event_record(event, input_columns, keys)
            if parsed is None:
                continue
            when, rows, outputs = parsed
            frame = pd.DataFrame(rows, columns=input_columns, dtype=object)
            capture.write_record(
                folder, "text/csv", frame, outputs, variant=variant, captured_at=when
            )
        seen.add(key)
    if new:
        folder.mkdir(parents=True, exist_ok=True)
        index_path.write_text(json.dumps(sorted(seen)))
    return len(new)


def build_baseline_from_s3(
    aws: AwsSession,
    endpoint_dir: Path,
    input_uri: str,
    manifest: bool,
    input_columns: list[str],
) -> m.BaselineSummary:
    """Profile the head of the training data on S3 (types inferred as the engine does).

    There is no model here to predict the baseline's labels, so prediction drift is not
    computed for SageMaker endpoints; feature drift and the constraints are.
    """
    from ...engine.analysis import infer_column_types
    from ...engine.data import load_table
    from .datasets import head_file, resolve_data_object

    bucket, key = resolve_data_object(aws, input_uri, manifest=manifest)
    with head_file(aws, bucket, key) as head:
        frame, _ = load_table(head.path)
        source = head.uri + (" (head)" if head.truncated else "")
    frame.columns = [str(c) for c in frame.columns]
    missing = [c for c in input_columns if c not in frame.columns]
    if missing:
        raise ValueError(f"The training data {input_uri} lacks the column(s) {', '.join(missing)}.")
    if len(frame) > reports.BASELINE_ROWS:
        frame = frame.sample(reports.BASELINE_ROWS, random_state=0)
    types = {
        column: kind.value
        for column, kind in infer_column_types(frame[input_columns]).items()
        if kind.value not in ("id", "constant")
    }
    return reports.save_baseline(endpoint_dir, frame, types, source, None)


#: Seconds between checks for scheduled drift reports.
SCHEDULER_SECONDS = 60.0


class EndpointMonitor(Part):
    """Data capture settings (in the endpoint config), captures synced from S3, the
    training baseline and drift reports, on demand and on a schedule."""

    def __init__(self, shared: Shared, endpoints: Endpoints):
        super().__init__(shared)
        self.endpoints = endpoints

    async def capture_settings(
        self, config: m.DataCaptureConfig | None
    ) -> tuple[dict[str, Any] | None, str | None]:
        """(DataCaptureConfig for the endpoint config, S3 destination) when capture is on."""
        if config is None or not config.enabled:
            return None, None
        bucket = await self.aws.run(self.aws.ensure_bucket_sync)
        destination = capture_destination(bucket, self.shared.settings.s3_prefix)
        return data_capture_config(destination, config), destination

    def _monitored(self, endpoint: str) -> EndpointRecord:
        record = self.store.endpoints().get(endpoint)
        if record is None:
            raise NotFound(
                f"There is no endpoint named {endpoint!r} deployed from this server; "
                "monitoring covers the endpoints it created."
            )
        return record

    def _monitor_dir(self, endpoint: str) -> Path:
        return self.shared.context.work_dir / "sagemaker" / "endpoints" / endpoint

    async def _sync_captures(self, record: EndpointRecord) -> None:
        """Bring SageMaker's new capture files into the work dir (at most every 20 s)."""
        if not record.capture_destination:
            return

        async def sync() -> int:
            return await self.aws.run(
                sync_captures,
                self.aws,
                record.capture_destination,
                record.name,
                self._monitor_dir(record.name),
                record.input_columns,
                [k.value for k in record.inference_response_keys],
            )

        await self.cache.get(("captures", record.name), ttl.CAPTURE_SYNC_TTL, sync)

    async def monitoring_status(self, endpoint: str) -> m.MonitoringStatus:
        record = self._monitored(endpoint)
        await self._sync_captures(record)
        return await asyncio.to_thread(
            reports.status,
            self._monitor_dir(endpoint),
            endpoint,
            record.data_capture,
            record.schedule_minutes,
            record.baseline_error,
        )

    async def configure_monitoring(
        self, endpoint: str, config: m.MonitoringConfig
    ) -> m.MonitoringStatus:
        """Capture settings live in the endpoint config: a change makes a new config and
        updates the endpoint to it (SageMaker keeps serving meanwhile)."""
        record = self._monitored(endpoint)
        if config.schedule_minutes and record.forecaster is not None:
            raise InvalidRequest(
                DRIFT_FOR_TABULAR.format(endpoint=endpoint),
                details=[{"field": "schedule_minutes"}],
            )
        if config.data_capture != record.data_capture:
            record = await self._switch_capture(record, config.data_capture)
        record = record.model_copy(update={"schedule_minutes": config.schedule_minutes})
        if not self.aws.dry_run:
            self.store.save_endpoint(record)
        return await self.monitoring_status(endpoint)

    async def _switch_capture(
        self, record: EndpointRecord, wanted: m.DataCaptureConfig
    ) -> EndpointRecord:
        aws = self.aws
        if record.serverless and wanted.enabled:
            raise InvalidRequest(
                f"Endpoint {record.name!r} is serverless, and SageMaker Serverless Inference "
                "does not capture data. Deploy the model on instances to monitor it.",
                details=[{"field": "data_capture"}],
            )
        self.cache.invalidate(("endpoint", record.name))
        desc = await self.endpoints.ensure_exists(record.name)
        if desc.get("EndpointStatus") != "InService":
            raise Conflict(
                f"Endpoint {record.name!r} is {desc.get('EndpointStatus')}; SageMaker changes "
                "an endpoint only when it is InService. Try again in a few minutes."
            )
        old_config = desc.get("EndpointConfigName") or record.config_name
        current = await self.endpoints.endpoint_config(old_config) or {}
        capture, destination = await self.capture_settings(wanted)
        if capture is None and record.capture_destination:
            # Off: keep the destination so what was captured stays readable.
            capture = data_capture_config(record.capture_destination, wanted)
            destination = record.capture_destination
        new_config = f"{record.name[:49]}-config-{secrets.token_hex(3)}"
        tag_list = t.aws_tags(
            {t.CREATED_BY: "jupyter-autopilot", t.EXPERIMENT: record.experiment or ""}
        )
        params: dict[str, Any] = {
            "EndpointConfigName": new_config,
            "ProductionVariants": current.get("ProductionVariants") or [],
            "Tags": tag_list,
        }
        if capture:
            params["DataCaptureConfig"] = capture
        if current.get("ExplainerConfig"):
            # The explainer is a setting of the config too: the new one keeps it.
            params["ExplainerConfig"] = current["ExplainerConfig"]
        await aws.call(
            "sagemaker",
            "CreateEndpointConfig",
            f"create the endpoint config {new_config}",
            **params,
        )
        try:
            # RetainAllVariantProperties keeps the live weights and instance counts (set by
            # PUT traffic or auto scaling) instead of the config's initial ones. Capture is
            # a setting of the config, not of a variant, so the new config's applies (the
            # API reference marks excluding DataCaptureConfig "not currently supported").
            await self.endpoints.when_config_visible(
                "UpdateEndpoint",
                f"switch {record.name} to the endpoint config {new_config}",
                EndpointName=record.name,
                EndpointConfigName=new_config,
                RetainAllVariantProperties=True,
            )
        except AutopilotError:
            await aws.call(
                "sagemaker",
                "DeleteEndpointConfig",
                f"delete the endpoint config {new_config}",
                EndpointConfigName=new_config,
            )
            raise
        self.cache.invalidate(
            ("endpoints",), ("endpoint", record.name), ("endpoint-config", old_config)
        )
        retired = list(record.retired_configs)
        if old_config and old_config != new_config and old_config not in retired:
            retired.append(old_config)
        # The old config is deleted once the endpoint is InService again (_retire_configs).
        return record.model_copy(
            update={
                "data_capture": wanted,
                "capture_destination": destination,
                "config_name": new_config,
                "retired_configs": retired,
            }
        )

    async def run_monitoring_report(
        self, endpoint: str, request: m.MonitoringReportRequest
    ) -> m.MonitoringReport:
        return await self._report(endpoint, request, "on_demand")

    async def _report(
        self, endpoint: str, request: m.MonitoringReportRequest, trigger: str
    ) -> m.MonitoringReport:
        record = self._monitored(endpoint)
        if record.forecaster is not None:
            raise Conflict(DRIFT_FOR_TABULAR.format(endpoint=endpoint))
        folder = self._monitor_dir(endpoint)
        self.cache.invalidate(("captures", endpoint))
        await self._sync_captures(record)
        if not await asyncio.to_thread(reports.baseline_path(folder).is_file):
            record = await self._ensure_sm_baseline(record)
        until = self._now()
        since = until - timedelta(hours=request.window_hours)
        found = await asyncio.to_thread(reports.captured_records, folder, 1)
        records_in_window = [r for r in found.records if r.captured_at >= since]
        if not found.total or not records_in_window:
            raise Conflict(
                f"Endpoint {endpoint!r} has no captured data in the last "
                f"{request.window_hours:g} hours: enable data capture and send it some "
                "requests first (SageMaker writes capture files every few minutes)."
            )
        report = await asyncio.to_thread(
            reports.build_report, folder, endpoint, since, until, trigger
        )
        if not self.aws.dry_run:
            self.store.save_endpoint(record.model_copy(update={"last_report_at": until}))
        return report

    async def _ensure_sm_baseline(self, record: EndpointRecord) -> EndpointRecord:
        experiment = self.store.load_experiment(record.experiment) if record.experiment else None
        try:
            if experiment is None:
                raise ValueError(
                    "this endpoint was not deployed from an experiment of this server, so its "
                    "training data is unknown"
                )
            await self.aws.run(
                build_baseline_from_s3,
                self.aws,
                self._monitor_dir(record.name),
                experiment.spec.input_uri,
                experiment.spec.manifest,
                record.input_columns,
            )
        except (AutopilotError, OSError, ValueError) as error:
            message = getattr(error, "message", None) or str(error)
            reason = f"The baseline needs the experiment's training data: {message}"
            if not self.aws.dry_run:
                self.store.save_endpoint(record.model_copy(update={"baseline_error": reason}))
            raise Conflict(reason) from None
        updated = record.model_copy(update={"baseline_error": None})
        if not self.aws.dry_run:
            self.store.save_endpoint(updated)
        return updated

    async def describe_monitoring_report(self, endpoint: str, report_id: str) -> m.MonitoringReport:
        self._monitored(endpoint)
        found = await asyncio.to_thread(reports.read_report, self._monitor_dir(endpoint), report_id)
        if found is None:
            raise NotFound(f"Endpoint {endpoint!r} has no monitoring report {report_id!r}.")
        return found

    async def list_captures(self, endpoint: str, query: m.ListCapturesQuery) -> m.CapturedRecords:
        record = self._monitored(endpoint)
        await self._sync_captures(record)
        return await asyncio.to_thread(
            reports.captured_records, self._monitor_dir(endpoint), query.limit
        )

    async def run_due_reports(self, now: datetime) -> list[str]:
        """Scheduled drift reports that are due (called every SCHEDULER_SECONDS)."""
        done = []
        for record in self.store.endpoints().values():
            if not record.schedule_minutes:
                continue
            last = record.last_report_at
            if last is not None and now - last < timedelta(minutes=record.schedule_minutes):
                continue
            window = m.MonitoringReportRequest(window_hours=record.schedule_minutes / 60)
            try:
                await self._report(record.name, window, "schedule")
            except Conflict:
                self.store.save_endpoint(record.model_copy(update={"last_report_at": now}))
                continue
            done.append(record.name)
        return done

    async def schedule_forever(self) -> None:
        while True:
            await asyncio.sleep(SCHEDULER_SECONDS)
            try:
                await self.run_due_reports(self._now())
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad endpoint must not stop the scheduler
                self.log.exception("Scheduled monitoring failed")
