"""Drift and capture logic on generated data (pure functions, no server)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.monitoring import capture, drift


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(7)


def profiles(frame: pd.DataFrame, kinds: dict[str, str], seed: int = 0) -> dict[str, dict]:
    rng = np.random.default_rng(seed)
    return {c: drift.profile_column(frame[c].astype(object), k, rng) for c, k in kinds.items()}


def training(rng: np.random.Generator, n: int = 4000) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": rng.normal(40, 10, n).round(1),
            "job": rng.choice(["admin", "blue-collar", "technician"], n, p=[0.5, 0.3, 0.2]),
            "note": ["free text"] * n,
        }
    )


KINDS = {"age": "numeric", "job": "categorical", "note": "text"}


def test_the_same_distribution_is_ok_and_raises_no_violation(rng):
    base = profiles(training(rng), KINDS)
    current = training(np.random.default_rng(99), 500).astype(object)
    for column in ("age", "job"):
        result, violations = drift.compare_column(column, base[column], current[column])
        assert result["status"] == "ok", result
        assert result["distance"] < drift.PSI_WARNING
        assert violations == []
    text, _ = drift.compare_column("note", base["note"], current["note"])
    assert "distance" not in text  # free text: only its missing share is watched


def test_a_shifted_numeric_feature_drifts_with_ks_and_range_evidence(rng):
    base = profiles(training(rng), KINDS)
    shifted = pd.Series(np.random.default_rng(1).normal(75, 10, 500)).astype(object)
    result, violations = drift.compare_column("age", base["age"], shifted)
    assert result["status"] == "drift" and result["distance"] > drift.PSI_DRIFT
    assert result["statistic_name"] == "ks" and result["statistic"] > 0.8
    assert [v["check"] for v in violations] == ["out_of_range"]
    assert len(result["histogram"]["bins"]) == len(result["histogram"]["current"])


def test_category_shift_unknown_values_wrong_types_and_missing_values(rng):
    base = profiles(training(rng), KINDS)
    jobs = pd.Series(["retired"] * 200 + ["admin"] * 100, dtype=object)
    result, violations = drift.compare_column("job", base["job"], jobs)
    assert result["status"] == "drift" and result["statistic_name"] == "jensen_shannon"
    assert "(other)" in result["histogram"]["bins"]
    unknown = [v for v in violations if v["check"] == "unknown_category"]
    assert unknown and "retired" in unknown[0]["message"]

    ages = pd.Series(["41", "abc", None, None, "39"] * 20, dtype=object)
    result, violations = drift.compare_column("age", base["age"], ages)
    checks = {v["check"]: v for v in violations}
    assert checks["data_type"]["observed"] == pytest.approx(1 / 3)
    assert "'abc'" in checks["data_type"]["message"]
    assert checks["missing_values"]["observed"] == pytest.approx(0.4)


def test_too_few_values_give_no_verdict(rng):
    base = profiles(training(rng), KINDS)
    result, violations = drift.compare_column("age", base["age"], pd.Series([99.0] * 5))
    assert result["status"] == "insufficient_data"
    assert violations == []
    assert drift.overall_status([result], None, []) == "insufficient_data"


def test_prediction_drift_for_labels_and_values():
    labels = drift.profile_predictions(pd.Series(["no"] * 900 + ["yes"] * 100), True)
    same, found = drift.compare_predictions(labels, pd.Series(["no"] * 90 + ["yes"] * 10))
    assert same["status"] == "ok" and found == []
    flipped, found = drift.compare_predictions(labels, pd.Series(["yes"] * 80 + ["no"] * 20))
    assert flipped["status"] == "drift"
    assert found[0]["check"] == "prediction_drift"
    values = drift.profile_predictions(pd.Series(np.linspace(0, 1, 1000)), False)
    moved, _ = drift.compare_predictions(values, pd.Series(np.linspace(5, 6, 100)))
    assert moved["kind"] == "value" and moved["status"] == "drift"


def test_psi_is_zero_for_equal_shares_and_grows_with_the_shift():
    assert drift.psi([0.5, 0.5], [0.5, 0.5]) == pytest.approx(0.0)
    assert drift.psi([0.5, 0.5], [0.6, 0.4]) < drift.psi([0.5, 0.5], [0.9, 0.1])


def test_capture_round_trip_skips_torn_lines_and_truncates_big_requests(tmp_path):
    frame = pd.DataFrame({"age": [30.0, None], "job": ["admin", "<script>x</script>"]})
    capture.write_record(tmp_path, "text/csv", frame, {"predicted_label": ["no", "yes"]})
    big = pd.DataFrame({"age": range(capture.MAX_ROWS_PER_RECORD + 5), "job": "admin"})
    capture.write_record(tmp_path, "application/json", big, {"predicted_label": ["no"] * len(big)})
    hour_file = next(tmp_path.glob("*/*/*/*.jsonl"))
    with open(hour_file, "a") as handle:
        handle.write('{"captured_at": "2026-')  # a write cut short by a crash
    records = list(capture.iter_records(tmp_path))
    assert [r["content_type"] for r in records] == ["text/csv", "application/json"]
    assert records[0]["rows"][0] == [30.0, "admin"] and records[0]["rows"][1][0] is None
    assert records[1]["truncated"] and len(records[1]["rows"]) == capture.MAX_ROWS_PER_RECORD
    assert capture.capture_stats(tmp_path)[:2] == (2, 2 + capture.MAX_ROWS_PER_RECORD)
    later = datetime.now(timezone.utc) + timedelta(minutes=1)
    assert list(capture.iter_records(tmp_path, since=later)) == []
    inputs, outputs = capture.records_frames(records[:1], ["job", "age"])
    assert list(inputs.columns) == ["job", "age"] and outputs["predicted_label"].tolist() == [
        "no",
        "yes",
    ]
    json.loads(hour_file.read_text().splitlines()[0])  # stored as plain JSON
