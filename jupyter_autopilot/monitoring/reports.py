"""Building baselines and drift reports, and keeping them in an endpoint's folder.

`<endpoint>/monitoring/baseline.json` and `<endpoint>/monitoring/reports/<id>.json`; the
functions here run in a helper process (pandas work never runs on the server's loop).
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import models as m
from . import capture

if TYPE_CHECKING:
    import pandas as pd

# pandas, numpy and the drift statistics (scipy) are imported where reports and baselines
# are built, in the CPU helper: the Jupyter server imports this module to read saved
# reports and status, and those imports cost seconds at every server start.

BASELINE_ROWS = 20_000
REPORTS_KEPT = 50


#: Why a forecaster's endpoint has no drift reports (both backends): they compare the rows
#: a tabular model is sent with its training rows, while a forecaster is sent items (and
#: their future related values, or on SageMaker their history).
FORECASTER_HAS_NO_DRIFT = (
    "Drift reports compare the rows a tabular model is sent with its training data; the "
    "endpoint {endpoint} serves a forecaster, so it has none."
)


def monitoring_dir(endpoint_dir: Path) -> Path:
    return endpoint_dir / "monitoring"


def capture_dir(endpoint_dir: Path) -> Path:
    return endpoint_dir / "capture"


def baseline_path(endpoint_dir: Path) -> Path:
    return monitoring_dir(endpoint_dir) / "baseline.json"


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: a crash never leaves half a report behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, allow_nan=False, default=str))
    os.replace(tmp, path)


def build_baseline(
    endpoint_dir: Path,
    data_path: Path,
    source: str,
    model_path: Path,
    model_sha256: str,
    max_bytes: int | None = None,
) -> m.BaselineSummary:
    """Profile the training data (a seeded sample) and the model's predictions on it."""
    import pandas as pd

    from ..engine import load_model
    from ..engine.data import load_table
    from . import drift

    model = load_model(model_path, expected_sha256=model_sha256)
    frame, _ = load_table(data_path, memory_limit_bytes=max_bytes)
    frame.columns = [str(c) for c in frame.columns]
    if len(frame) > BASELINE_ROWS:
        frame = frame.sample(BASELINE_ROWS, random_state=0)
    missing = [c for c in model.feature_columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"The training data {source} no longer has the column(s) {', '.join(missing)}."
        )
    predictions = pd.Series(model.predict(frame[model.feature_columns]))
    return save_baseline(
        endpoint_dir,
        frame,
        dict(model.column_types),
        source,
        drift.profile_predictions(predictions, model.is_classifier),
    )


def save_baseline(
    endpoint_dir: Path,
    frame: pd.DataFrame,
    column_types: dict[str, str],
    source: str,
    prediction_profile: dict[str, Any] | None,
) -> m.BaselineSummary:
    """Profile `frame`'s feature columns (typed as the model sees them) and save it."""
    import numpy as np

    from . import drift

    rng = np.random.default_rng(0)
    columns = {
        column: drift.profile_column(frame[column].astype(object), kind, rng)
        for column, kind in column_types.items()
    }
    created = datetime.now(timezone.utc)
    profile = {
        "created_at": created.isoformat(),
        "rows": len(frame),
        "source": source,
        "feature_columns": list(column_types),
        "columns": columns,
        "prediction": prediction_profile,
    }
    _write_json(baseline_path(endpoint_dir), profile)
    return baseline_summary(profile)


def baseline_summary(profile: dict[str, Any]) -> m.BaselineSummary:
    return m.BaselineSummary(
        created_at=datetime.fromisoformat(profile["created_at"]),
        rows=profile["rows"],
        source=profile["source"],
        features=len(profile["columns"]),
    )


def read_baseline(endpoint_dir: Path) -> dict[str, Any] | None:
    path = baseline_path(endpoint_dir)
    if not path.is_file():
        return None
    return dict(json.loads(path.read_text()))


def build_report(
    endpoint_dir: Path,
    endpoint: str,
    since: datetime,
    until: datetime,
    trigger: str,
) -> m.MonitoringReport:
    """Compare the data captured in [since, until] with the baseline; save the report."""
    import pandas as pd

    from . import drift

    profile = read_baseline(endpoint_dir)
    if profile is None:
        raise FileNotFoundError("no baseline")
    records = [
        r
        for r in capture.iter_records(capture_dir(endpoint_dir), since)
        if r["captured_at"] <= until
    ]
    inputs, outputs = capture.records_frames(records, profile["feature_columns"])
    features: list[dict[str, Any]] = []
    violations: list[dict[str, Any]] = []
    for column, column_profile in profile["columns"].items():
        feature, found = drift.compare_column(column, column_profile, inputs[column])
        features.append(feature)
        violations.extend(found)
    predicted = outputs["predicted_label"] if "predicted_label" in outputs else pd.Series([])
    prediction, found = drift.compare_predictions(profile.get("prediction"), predicted)
    violations.extend(found)
    created = datetime.now(timezone.utc)
    report = m.MonitoringReport(
        id=f"{created:%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}",
        endpoint=endpoint,
        created_at=created,
        trigger=trigger,
        status=drift.overall_status(features, prediction, violations),
        window_start=since,
        window_end=until,
        records=len(records),
        rows=len(inputs),
        drifted_features=sum(f["status"] == "drift" for f in features),
        violations=len(violations),
        baseline_rows=profile["rows"],
        features=[m.FeatureDrift.model_validate(f) for f in features],
        prediction=m.PredictionDrift.model_validate(prediction) if prediction else None,
        constraint_violations=[m.Violation.model_validate(v) for v in violations],
    )
    reports = monitoring_dir(endpoint_dir) / "reports"
    _write_json(reports / f"{report.id}.json", report.model_dump(mode="json"))
    for old in sorted(reports.glob("*.json"))[:-REPORTS_KEPT]:
        old.unlink(missing_ok=True)
    return report


def list_reports(endpoint_dir: Path) -> list[m.MonitoringReportSummary]:
    """Saved reports, newest first."""
    reports = monitoring_dir(endpoint_dir) / "reports"
    summaries = []
    for path in sorted(reports.glob("*.json"), reverse=True):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        summaries.append(
            m.MonitoringReportSummary.model_validate(
                {k: v for k, v in data.items() if k in m.MonitoringReportSummary.model_fields}
            )
        )
    return summaries


def read_report(endpoint_dir: Path, report_id: str) -> m.MonitoringReport | None:
    if not report_id.replace("-", "").isalnum():
        return None  # ids are ours: never a path
    path = monitoring_dir(endpoint_dir) / "reports" / f"{report_id}.json"
    if not path.is_file():
        return None
    return m.MonitoringReport.model_validate_json(path.read_text())


def status(
    endpoint_dir: Path,
    endpoint: str,
    config: m.DataCaptureConfig,
    schedule_minutes: int | None,
    baseline_error: str | None,
) -> m.MonitoringStatus:
    """Everything the endpoints panel shows about monitoring (reads files only)."""
    records, rows, last = capture.capture_stats(capture_dir(endpoint_dir))
    profile = read_baseline(endpoint_dir)
    return m.MonitoringStatus(
        endpoint=endpoint,
        data_capture=config,
        schedule_minutes=schedule_minutes,
        captured_records=records,
        captured_rows=rows,
        last_capture_at=last,
        baseline=baseline_summary(profile) if profile else None,
        baseline_error=None if profile else baseline_error,
        reports=list_reports(endpoint_dir),
    )


def captured_records(endpoint_dir: Path, limit: int) -> m.CapturedRecords:
    """The newest `limit` captured invocations, newest first."""
    everything = list(capture.iter_records(capture_dir(endpoint_dir)))
    chosen = everything[-limit:][::-1]
    out = []
    for record in chosen:
        inputs, outputs = capture.record_rows(record)
        out.append(
            m.CapturedRecord(
                captured_at=record["captured_at"],
                content_type=record.get("content_type", ""),
                inputs=inputs,
                outputs=outputs,
                truncated=bool(record.get("truncated")),
            )
        )
    return m.CapturedRecords(records=out, total=len(everything))
