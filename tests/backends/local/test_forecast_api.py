"""Forecasting through the real server on the local backend (#19, slice 2): the spec's
`forecast` block and its 400s, and the series preview."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from support.openapi_check import validate_against
from support.sample_data import monthly_sales

from jupyter_autopilot.engine.metrics import FORECAST_METRICS, MINIMIZED
from jupyter_autopilot.openapi import openapi_document

pytestmark = [pytest.mark.timeout(600)]

DOC = openapi_document()


@pytest.fixture
def sales_csv(jp_root_dir: Path) -> str:
    monthly_sales().to_csv(jp_root_dir / "sales.csv", index=False)
    return "sales.csv"


def forecast_spec(name: str, uri: str, **forecast: object) -> dict[str, object]:
    block = {"timestamp": "date", "item_ids": ["store"], "horizon": 6, **forecast}
    return {
        "name": name,
        "input_uri": uri,
        "target": "sales",
        "problem_type": "TimeSeriesForecasting",
        "max_job_runtime_seconds": 240,
        "forecast": block,
    }


def test_sagemaker_sends_forecasting_as_its_own_problem_type():
    # Autopilot's TimeSeriesForecasting problem with its default objective (the request
    # itself is tested in tests/backends/sagemaker/test_sm_forecast.py).
    from jupyter_autopilot import models as m
    from jupyter_autopilot.backends.sagemaker.jobs import resolve_objective

    spec = m.ExperimentSpec.model_validate(forecast_spec("f", "s3://b/sales.csv"))
    assert resolve_objective(spec) == (
        "TimeSeriesForecasting",
        m.ObjectiveMetric.AverageWeightedQuantileLoss,
    )


def test_forecast_metrics_are_minimized():
    # One home of a metric's direction: the engine's MINIMIZED holds every forecast metric.
    assert set(FORECAST_METRICS) <= MINIMIZED


async def test_forecast_spec_errors_are_400s_naming_the_field(api, sales_csv):
    cases = [
        # The forecasting problem type needs the block...
        (
            {**forecast_spec("f-a", sales_csv), "forecast": None},
            "forecast",
            "needs the forecast block",
        ),
        # ...and the block needs the forecasting problem type.
        (
            {**forecast_spec("f-b", sales_csv), "problem_type": "regression"},
            "forecast",
            "TimeSeriesForecasting",
        ),
        (
            forecast_spec("f-c", sales_csv, quantiles=["p10", "p0"]),
            "forecast.quantiles",
            "p1 to p99",
        ),
        (forecast_spec("f-d", sales_csv, quantiles=["p10", "p10"]), "forecast.quantiles", "once"),
        (
            forecast_spec("f-e", sales_csv, quantiles=["p1", "p5", "p10", "p50", "p90", "p99"]),
            "forecast.quantiles",
            "at most 5",
        ),
        (forecast_spec("f-f0", sales_csv, frequency="0D"), "forecast.frequency", "not a frequency"),
        (
            forecast_spec("f-f", sales_csv, frequency="fortnightly"),
            "forecast.frequency",
            "not a frequency",
        ),
        (
            forecast_spec("f-g", sales_csv, horizon=0),
            "forecast.horizon",
            "greater than or equal to 1",
        ),
        (
            forecast_spec("f-h", sales_csv, backtest_windows=6),
            "forecast.backtest_windows",
            "less than or equal to 5",
        ),
        (forecast_spec("f-i", sales_csv, related=["sales"]), "forecast", "forecast.related"),
        (
            {**forecast_spec("f-j", sales_csv), "objective_metric": "F1"},
            "body",
            "does not apply to TimeSeriesForecasting",
        ),
        (
            {**forecast_spec("f-k", sales_csv), "sample_weight": "store"},
            "forecast",
            "sample_weight",
        ),
        (
            forecast_spec("f-l", sales_csv, holiday_country="USA"),
            "forecast.holiday_country",
            "two letters",
        ),
    ]
    for spec, field, words in cases:
        reply = await api.post("experiments", spec)
        assert reply.code == 400, (spec, reply.body)
        fields = [d["field"] for d in reply.body.get("details", [])]
        assert field in fields, (field, reply.body)
        assert words in reply.body["message"], (words, reply.body["message"])


async def test_forecast_preview_checks_and_plots(api, sales_csv, jp_root_dir):
    body = {
        "uri": sales_csv,
        "rows": 5,
        "target": "sales",
        "forecast": {"timestamp": "date", "item_ids": ["store"], "horizon": 6},
    }
    reply = await api.post("datasets/preview", body)
    assert reply.code == 200, reply.body
    validate_against(DOC, "post", "/datasets/preview", 200, reply.body)
    series = reply.body["series"]
    assert series["frequency"] == "MS" and series["frequency_detected"] is True
    assert series["season"] == 12
    assert series["items"] == 3 and series["usable_items"] == 3
    assert [p["item_id"] for p in series["series"]] == ["s0", "s1", "s2"]
    assert series["series"][0]["length"] == 48
    assert series["series"][0]["timestamps"][0].startswith("2018-01-01")
    assert not [w for w in series["warnings"] if w["severity"] == "error"]
    assert len(reply.body["rows"]) == 5  # the tabular preview is still there

    # A gap and a duplicate: the checks' findings come back as data, not as a failure.
    frame = monthly_sales()
    frame = frame.drop(index=[5, 6])
    frame = pd.concat([frame, frame.iloc[[100]]])
    frame.to_csv(jp_root_dir / "bad.csv", index=False)
    reply = await api.post("datasets/preview", {**body, "uri": "bad.csv"})
    assert reply.code == 200, reply.body
    codes = {w["code"]: w["severity"] for w in reply.body["series"]["warnings"]}
    assert codes["duplicate_timestamps"] == "error"
    assert reply.body["series"]["series"] == []

    # Without the target the forecast preview cannot run: a 400 naming the field.
    reply = await api.post("datasets/preview", {**body, "target": None})
    assert reply.code == 400
    assert "forecast" in [d["field"] for d in reply.body["details"]]
    # A column that is not in the file is one of the checks' errors.
    reply = await api.post(
        "datasets/preview", {**body, "forecast": {**body["forecast"], "timestamp": "day"}}
    )
    assert reply.code == 200
    assert reply.body["series"]["warnings"][0]["code"] == "missing_column"
    # A frequency far finer than the data is refused before its grid is built.
    reply = await api.post(
        "datasets/preview", {**body, "forecast": {**body["forecast"], "frequency": "s"}}
    )
    assert reply.code == 200
    assert [w["code"] for w in reply.body["series"]["warnings"]] == ["frequency_too_fine"]
    # A plain preview has no series.
    reply = await api.post("datasets/preview", {"uri": sales_csv})
    assert reply.code == 200 and reply.body["series"] is None
