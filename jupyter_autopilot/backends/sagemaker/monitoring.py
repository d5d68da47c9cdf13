"""Monitoring of SageMaker endpoints with the local monitor's reports.

SageMaker's data capture writes sampled requests and responses to S3
(`<destination>/<endpoint>/<variant>/YYYY/MM/DD/HH/*.jsonl`, one JSON event per line).
These functions copy new capture files into the endpoint's folder in the work dir, in the
local capture format, and profile a baseline from the head of the experiment's training
data on S3; `jupyter_autopilot.monitoring.reports` then builds the same drift reports as
for local endpoints. They block (boto3, pandas): callers run them in threads.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ... import models as m
from ...monitoring import capture, reports
from . import s3
from .errors import translate
from .session import AwsSession

#: Capture files read per sync (the newest ones are what reports look at).
MAX_CAPTURE_FILES = 5000


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
