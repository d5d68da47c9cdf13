"""A forecasting job through the real server on the local backend (#19, slice 2): the four
stages, the leaderboard of backtested candidates, the saved forecaster."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pandas as pd
import pytest
from support.openapi_check import validate_against
from test_forecast_api import forecast_spec, monthly_sales

from jupyter_autopilot.engine.forecasting.model import ForecastModel
from jupyter_autopilot.openapi import openapi_document

pytestmark = [pytest.mark.timeout(600)]

DOC = openapi_document()


@pytest.fixture
def sales_csv(jp_root_dir: Path) -> str:
    monthly_sales().to_csv(jp_root_dir / "sales.csv", index=False)
    return "sales.csv"


async def test_bad_series_are_a_400_at_create(api, sales_csv):
    # The checks' errors refuse the experiment (a 400 saying what to fix), not a failed job.
    reply = await api.post("experiments", forecast_spec("too-long", sales_csv, horizon=60))
    assert reply.code == 400, reply.body
    assert "Every item is too short" in reply.body["message"]
    assert "Shorten the horizon" in reply.body["message"]
    # Two letters, but no calendar here: refused by the series checks, saying so.
    reply = await api.post("experiments", forecast_spec("no-cal", sales_csv, holiday_country="ZZ"))
    assert reply.code == 400, reply.body
    assert "no public holiday calendar for the country code 'ZZ'" in reply.body["message"]


@pytest.mark.slow
async def test_forecast_job_end_to_end(api, client, sales_csv, jp_root_dir):
    spec = forecast_spec("sales-forecast", sales_csv, backtest_windows=2)
    created = await api.post("experiments", spec)
    assert created.code == 201, created.body
    final = await api.wait_for(
        "experiments/sales-forecast",
        lambda b: b["status"] in ("Completed", "Failed", "Stopped", "Interrupted"),
        timeout=400,
        interval=1.0,
    )
    assert final["status"] == "Completed", final
    validate_against(DOC, "get", "/experiments/{name}", 200, final)
    assert [s["status"] for s in final["stages"]] == ["done"] * 4
    assert final["problem_type"] == "TimeSeriesForecasting"
    # A forecasting job backtests a fixed set of candidates: no search to continue.
    assert final["can_extend"] is False and final["can_rerun"] is True
    extended = await api.post("experiments/sales-forecast/extend", {"additional_candidates": 2})
    assert extended.code == 409 and "forecasting experiment" in extended.body["message"]
    assert final["objective"] == {"metric": "AverageWeightedQuantileLoss", "goal": "Minimize"}
    stages = {s["name"]: s["message"] for s in final["stages"]}
    assert "frequency MS (detected), season 12" in stages["pre_processing"]
    assert "SeasonalNaive" in stages["candidate_definitions"]
    assert "lag 12" in stages["feature_engineering"]

    board = await api.get("experiments/sales-forecast/candidates")
    assert board.code == 200, board.body
    candidates = board.body["candidates"]
    names = [c["name"] for c in candidates]
    assert {"SeasonalNaive", "Theta", "ETS", "LightGBM"} <= set(names)
    values = [c["objective_value"] for c in candidates]
    assert values == sorted(values)  # best (smallest wQL) first
    best = candidates[0]
    assert best["is_best"] and best["rank"] == 1
    assert final["best_candidate"]["name"] == best["name"]
    for c in candidates:
        assert c["status"] == "Completed"
        assert c["objective_metric"] == "AverageWeightedQuantileLoss"
        assert c["objective_value"] == pytest.approx(c["metrics"]["AverageWeightedQuantileLoss"])
        assert {"WAPE", "RMSE", "MASE", "wQL[0.1]", "wQL[0.5]", "wQL[0.9]"} <= set(c["metrics"])
    # Every candidate beats repeating last year on this seasonal, trending data.
    naive = next(c for c in candidates if c["name"] == "SeasonalNaive")
    assert best["objective_value"] < naive["objective_value"]

    # The saved forecaster forecasts the horizon for every item, quantiles in order.
    model_path = next(jp_root_dir.rglob("sales-forecast/model/model.joblib"))
    model = ForecastModel.load(model_path)
    assert model.name == best["name"]
    forecast = model.forecast()
    assert list(forecast.columns) == ["item_id", "timestamp", "mean", "p10", "p50", "p90"]
    assert len(forecast) == 3 * 6
    assert (forecast["p10"] <= forecast["p50"]).all() and (forecast["p50"] <= forecast["p90"]).all()
    assert forecast["timestamp"].min() == pd.Timestamp("2022-01-01")

    # Deploy the forecaster and forecast through the endpoint: the same numbers as the
    # saved model, as JSON, as CSV and through the Python client.
    deployed = await api.post("experiments/sales-forecast/deploy", {"endpoint_name": "sales-fc"})
    assert deployed.code == 202, deployed.body
    endpoint = await api.wait_for(
        "endpoints/sales-fc", lambda b: b["status"] != "Creating", timeout=120, interval=0.5
    )
    assert endpoint["status"] == "InService", endpoint
    assert endpoint["input_columns"] == ["item_id", "timestamp"]
    invoked = await api.post(
        "endpoints/sales-fc/invocations",
        raw=json.dumps({"item_ids": ["s1", "s2"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert invoked.code == 200, invoked.body
    validate_against(DOC, "post", "/endpoints/{name}/invocations", 200, invoked.body)
    rows = pd.DataFrame.from_records(invoked.body["forecasts"])
    expected = forecast[forecast["item_id"].isin(["s1", "s2"])].reset_index(drop=True)
    assert list(rows["item_id"]) == list(expected["item_id"])
    assert list(pd.to_datetime(rows["timestamp"])) == list(expected["timestamp"])
    for column in ("mean", "p10", "p50", "p90"):
        assert list(rows[column]) == pytest.approx(list(expected[column]), rel=1e-9)
    as_csv = await api.post(
        "endpoints/sales-fc/invocations",
        raw=b"item_id\ns0\n",
        headers={"Content-Type": "text/csv", "Accept": "text/csv"},
    )
    assert as_csv.code == 200, as_csv.body
    lines = as_csv.body.splitlines()
    assert lines[0] == "item_id,timestamp,mean,p10,p50,p90" and len(lines) == 1 + 6
    frame = await asyncio.to_thread(client.forecast, "sales-fc", ["s0"])
    assert list(frame.columns) == ["item_id", "timestamp", "mean", "p10", "p50", "p90"]
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2022-01-01")
    assert list(frame["mean"]) == pytest.approx(list(forecast[forecast["item_id"] == "s0"]["mean"]))
    # The rows a forecast needs (no related columns here: the timestamps it will forecast).
    future = await api.get("endpoints/sales-fc/future", params={"item_ids": "s2,s0"})
    assert future.code == 200, future.body
    validate_against(DOC, "get", "/endpoints/{name}/future", 200, future.body)
    assert (future.body["endpoint"], future.body["horizon"]) == ("sales-fc", 6)
    assert future.body["related"] == []
    assert [r["item_id"] for r in future.body["future"]] == ["s2"] * 6 + ["s0"] * 6
    assert future.body["future"][0]["timestamp"] == "2022-01-01T00:00:00"
    everything = await asyncio.to_thread(client.forecast_future, "sales-fc")
    assert list(everything.columns) == ["item_id", "timestamp"] and len(everything) == 3 * 6
    assert everything["timestamp"].iloc[0] == pd.Timestamp("2022-01-01")
    no_item = await api.get("endpoints/sales-fc/future", params={"item_ids": "s9"})
    assert no_item.code == 400 and "No history for item(s) 's9'" in no_item.body["message"]
    assert (await api.get("endpoints/nowhere/future")).code == 404
    # Bad requests are 4xx saying what to fix.
    unknown = await api.post(
        "endpoints/sales-fc/invocations",
        raw=json.dumps({"item_ids": ["s9"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert unknown.code == 400 and "No history for item(s) 's9'" in unknown.body["message"]
    wrong = await api.post(
        "endpoints/sales-fc/invocations",
        raw=json.dumps({"items": ["s0"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert wrong.code == 400 and "item_ids" in wrong.body["message"]
    # A batch forecast: a CSV of item ids in, their tidy forecast out as CSV.
    pd.DataFrame({"item_id": ["s2", "s0"]}).to_csv(jp_root_dir / "items.csv", index=False)
    started = await api.post("endpoints/sales-fc/batch-predictions", {"input_path": "items.csv"})
    assert started.code == 202, started.body
    batch = await api.wait_for(
        f"batch-predictions/{started.body['id']}",
        lambda b: b["status"] not in ("Queued", "InProgress"),
        timeout=120,
        interval=0.5,
    )
    assert batch["status"] == "Completed", batch
    written = pd.read_csv(jp_root_dir / batch["output_path"])
    assert list(written.columns) == ["item_id", "timestamp", "mean", "p10", "p50", "p90"]
    assert list(written["item_id"]) == ["s0"] * 6 + ["s2"] * 6

    # Data capture records each forecast (its items and steps, its mean and quantiles);
    # drift reports are for tabular models, and a forecaster's endpoint says so.
    captured = await api.call(
        "PUT", "endpoints/sales-fc/monitoring", body={"data_capture": {"enabled": True}}
    )
    assert captured.code == 200, captured.body
    invoked = await api.post(
        "endpoints/sales-fc/invocations",
        raw=json.dumps({"item_ids": ["s1"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert invoked.code == 200, invoked.body
    records = await api.get("endpoints/sales-fc/monitoring/captures")
    assert records.code == 200, records.body
    (record,) = records.body["records"]
    assert [r["item_id"] for r in record["inputs"]] == ["s1"] * 6
    assert record["inputs"][0]["timestamp"] == "2022-01-01T00:00:00"
    sent = invoked.body["forecasts"]
    assert [o["mean"] for o in record["outputs"]] == pytest.approx([f["mean"] for f in sent])
    assert set(record["outputs"][0]) == {"mean", "p10", "p50", "p90"}
    report = await api.post("endpoints/sales-fc/monitoring/reports", {"window_hours": 1})
    assert report.code == 409 and "serves a forecaster" in report.body["message"]
    schedule = await api.call(
        "PUT",
        "endpoints/sales-fc/monitoring",
        body={"data_capture": {"enabled": True}, "schedule_minutes": 60},
    )
    assert schedule.code == 400 and schedule.body["details"] == [{"field": "schedule_minutes"}]
    assert (await api.delete("endpoints/sales-fc")).code in (200, 202, 204)


@pytest.mark.slow
async def test_co2_weekly_with_missing_weeks(api, jp_root_dir):
    # Real data: Mauna Loa CO2, weekly, from 1983 (five weeks without a value).
    import statsmodels.api as sm

    co2 = sm.datasets.co2.load_pandas().data.rename_axis("week").reset_index()
    co2 = co2[co2["week"] >= "1983-01-01"]
    assert co2["co2"].isna().sum() == 5
    co2.to_csv(jp_root_dir / "co2.csv", index=False)
    forecast = {"timestamp": "week", "horizon": 13}
    preview = await api.post(
        "datasets/preview", {"uri": "co2.csv", "target": "co2", "forecast": forecast}
    )
    assert preview.code == 200, preview.body
    series = preview.body["series"]
    assert (series["frequency"], series["season"], series["items"]) == ("W-SAT", 52, 1)
    assert [w["code"] for w in series["warnings"]] == ["missing_target"]
    spec = {
        "name": "co2",
        "input_uri": "co2.csv",
        "target": "co2",
        "problem_type": "TimeSeriesForecasting",
        "objective_metric": "MASE",
        "max_job_runtime_seconds": 240,
        "forecast": forecast,
    }
    assert (await api.post("experiments", spec)).code == 201
    final = await api.wait_for(
        "experiments/co2", lambda b: b["status"] not in ("Queued", "InProgress"), timeout=400
    )
    assert final["status"] == "Completed", final
    assert final["objective"] == {"metric": "MASE", "goal": "Minimize"}
    board = (await api.get("experiments/co2/candidates")).body["candidates"]
    by_name = {c["name"]: c for c in board}
    assert board[0]["objective_value"] == min(c["objective_value"] for c in board)
    # The ensemble's weights are chosen on the objective: kept only if it beats every member.
    if "Ensemble" in by_name:
        others = [c["metrics"]["MASE"] for c in board if c["name"] != "Ensemble"]
        assert by_name["Ensemble"]["metrics"]["MASE"] < min(others)
    # The trend and the season are learnt: the best is far better than last year's values.
    assert board[0]["metrics"]["MASE"] < 0.5 * by_name["SeasonalNaive"]["metrics"]["MASE"]


@pytest.mark.slow
async def test_the_readme_forecasting_journey_with_the_client(client, jp_root_dir):
    monthly_sales(length=36).to_csv(jp_root_dir / "sales.csv", index=False)
    block = {"timestamp": "date", "item_ids": ["store"], "horizon": 12}

    def journey() -> tuple[str | None, pd.DataFrame, pd.DataFrame]:
        preview = client.preview("sales.csv", target="sales", forecast=block)
        exp = client.create_experiment(
            name="sales",
            input_uri="sales.csv",
            target="sales",
            problem_type="TimeSeriesForecasting",
            forecast=block,
            max_job_runtime_seconds=120,
        )
        client.wait(exp.name, progress=False, timeout=300)
        board = client.leaderboard(exp.name)
        endpoint = client.deploy(exp.name, timeout=120)
        frame = client.forecast(endpoint.name, ["s1", "s2"])
        client.delete_endpoint(endpoint.name)
        return preview.series.frequency if preview.series else None, board, frame

    frequency, board, frame = await asyncio.to_thread(journey)
    assert frequency == "MS"
    assert {"SeasonalNaive", "ETS", "LightGBM"} <= set(board["name"])
    assert list(frame.columns) == ["item_id", "timestamp", "mean", "p10", "p50", "p90"]
    assert list(frame["item_id"]) == ["s1"] * 12 + ["s2"] * 12
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2021-01-01")
