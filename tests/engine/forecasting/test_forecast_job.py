"""The forecasting job (`run_job` with a forecast block): budget, stop, pilot, related columns."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from engine_testdata import execute_notebook
from forecast_testdata import promo_frame, seasonal_frame

from jupyter_autopilot import models as m
from jupyter_autopilot.engine import JobConfig, RecordingReporter, run_job
from jupyter_autopilot.engine.forecasting.model import ForecastModel
from jupyter_autopilot.exceptions import InvalidRequest


def config(tmp_path: Path, frame: pd.DataFrame, **kw: object) -> JobConfig:
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    forecast = {"timestamp": "date", "item_ids": ["store"], "horizon": 12, **kw.pop("forecast", {})}
    values: dict[str, object] = {
        "data_path": path,
        "output_dir": tmp_path / "out",
        "target": "sales",
        "problem_type": m.ProblemType.time_series_forecasting,
        "forecast": m.ForecastSpec.model_validate(forecast),
        "max_job_runtime_seconds": 300,
        **kw,
    }
    return JobConfig.model_validate(values)


def stage_messages(reporter: RecordingReporter) -> dict[str, str]:
    done = {}
    for event in reporter.events:
        if event[0] == "stage" and event[2] in (m.StageStatus.done, m.StageStatus.skipped):
            done[event[1].value] = event[3]
    return done


def test_a_spent_budget_skips_the_slow_candidates_and_still_saves_a_model(tmp_path):
    # 5 s of budget is all the finishing reserve: every statistical candidate's timed
    # estimate exceeds what is left, the global model finds the budget spent, and the job
    # still ends with the baseline on the leaderboard and saved, within its budget.
    reporter = RecordingReporter()
    started = time.perf_counter()
    result = run_job(config(tmp_path, seasonal_frame(), max_job_runtime_seconds=5), reporter)
    assert time.perf_counter() - started < 5
    assert [c.name for c in result.candidates] == ["SeasonalNaive"]
    assert result.best_candidate == "SeasonalNaive" and result.model_path is not None
    messages = [e[1] for e in reporter.events if e[0] == "message"]
    for name in ("Theta", "ETS", "LightGBM", "ARIMA"):
        assert any(t.startswith(f"{name} skipped") and "left of the budget" in t for t in messages)
    stages = stage_messages(reporter)
    assert "skipped: Theta, ETS, LightGBM, ARIMA" in stages["candidate_definitions"]
    assert stages["feature_engineering"].startswith("No global model")


def test_every_fitted_candidate_has_a_time_estimate():
    from jupyter_autopilot.engine.forecasting.candidates import ForecastTask
    from jupyter_autopilot.engine.forecasting.job import estimate_seconds
    from jupyter_autopilot.engine.forecasting.series import SeriesSpec, regularize, to_long

    spec = SeriesSpec(timestamp="date", target="sales", item_ids=("store",), horizon=12)
    series, _ = regularize(to_long(seasonal_frame(), spec), "MS")
    task = ForecastTask(horizon=12, freq="MS", season=12)
    assert estimate_seconds("SeasonalNaive", series, task, 2) is None
    for name in ("Theta", "ETS", "LightGBM", "ARIMA"):
        seconds = estimate_seconds(name, series, task, 2)
        assert seconds is not None and 0 < seconds < 60, (name, seconds)


def test_a_stop_keeps_the_finished_candidates(tmp_path):
    class StopAfterFirst(RecordingReporter):
        def candidate(self, candidate):
            super().candidate(candidate)
            if candidate.status is m.CandidateStatus.Completed:
                self.request_stop()

    reporter = StopAfterFirst()
    result = run_job(config(tmp_path, seasonal_frame(items=2)), reporter)
    assert result.stopped
    assert [c.name for c in result.candidates] == ["SeasonalNaive"]
    assert ForecastModel.load(result.model_path).name == "SeasonalNaive"


def test_pilot_stops_after_the_candidate_definitions(tmp_path):
    reporter = RecordingReporter()
    result = run_job(config(tmp_path, seasonal_frame(items=2), mode="pilot"), reporter)
    assert result.candidates == [] and result.model_path is None
    assert reporter.stage_statuses(m.StageName.model_tuning) == [m.StageStatus.skipped]
    definitions = stage_messages(reporter)["candidate_definitions"]
    assert "SeasonalNaive, Theta, ETS, LightGBM" in definitions
    # Backtest windows left unset: 72 months hold three of 12 after the 13 a fit needs.
    assert "3 backtest windows (chosen)" in definitions
    report = json.loads((tmp_path / "out" / "reports" / "candidate_definitions.json").read_text())
    assert report["backtest_windows"] == 3 and report["backtest_windows_chosen"] is True


def test_backtest_windows_left_unset_follow_the_history_and_the_budget():
    from jupyter_autopilot.engine.forecasting.checks import (
        MAX_AUTO_WINDOWS,
        check_series,
        windows_the_data_allows,
    )
    from jupyter_autopilot.engine.forecasting.job import choose_windows
    from jupyter_autopilot.engine.forecasting.series import SeriesSpec

    spec = SeriesSpec(
        timestamp="date", target="sales", item_ids=("store",), horizon=12, backtest_windows=None
    )

    def allowed(frame: pd.DataFrame) -> int:
        check = check_series(frame, spec)
        assert not check.errors and check.season == 12
        return windows_the_data_allows(check, 12)

    # A fit needs a season and one (13 months), each window 12 more.
    assert allowed(seasonal_frame(length=72)) == MAX_AUTO_WINDOWS == 3
    assert allowed(seasonal_frame(length=48)) == 2
    assert allowed(seasonal_frame(length=36)) == 1
    # The shortest usable item decides: another window would leave it out of the backtest.
    long = seasonal_frame(items=1, length=72).assign(store="long")
    short = seasonal_frame(items=1, length=40, seed=2).assign(store="short")
    assert allowed(pd.concat([long, short], ignore_index=True)) == 2
    # The budget: the candidates' one-window seconds x windows within half of what is left.
    assert choose_windows(3, [2.0, 3.0], 100.0, reproducible=False) == 3
    assert choose_windows(3, [10.0, 10.0], 85.0, reproducible=False) == 2
    assert choose_windows(3, [10.0, 10.0], 10.0, reproducible=False) == 1
    assert choose_windows(2, [0.1], 100.0, reproducible=False) == 2
    # A reproducible run ignores the clock; nothing timed: the history alone.
    assert choose_windows(3, [10.0, 10.0], 10.0, reproducible=True) == 3
    assert choose_windows(3, [], 0.0, reproducible=False) == 3


def test_related_columns_are_needed_to_forecast(tmp_path):
    frame = promo_frame(items=2, length=90)
    reporter = RecordingReporter()
    result = run_job(
        config(
            tmp_path,
            frame,
            forecast={"horizon": 7, "related": ["promo"], "quantiles": ["p10", "p50", "p90"]},
            reproducible=True,
        ),
        reporter,
    )
    assert result.best_candidate is not None
    # Backtest windows left unset, a reproducible run: as many as the history holds.
    board = json.loads((tmp_path / "out" / "reports" / "leaderboard.json").read_text())
    assert {len(windows) for windows in board["windows"].values()} == {3}
    model = ForecastModel.load(result.model_path)
    with pytest.raises(InvalidRequest, match="related columns promo"):
        model.forecast(["s0"])
    future = model.future(["s0"])
    # The rows to fill in: the same steps, the promo at the item's last known value.
    template = model.future_template(["s0"])
    assert template[["item_id", "timestamp"]].equals(future)
    assert (template["promo"] == frame[frame["store"] == "s0"]["promo"].iloc[-1]).all()
    with pytest.raises(InvalidRequest, match="Related values are missing"):
        model.forecast(["s0"], future.iloc[:-1].assign(promo=0.0))
    out = model.forecast(["s0"], future.assign(promo=1.0))
    quiet = model.forecast(["s0"], future.assign(promo=0.0))
    assert len(out) == 7
    if model.name in ("LightGBM", "ARIMA"):
        # A model that uses the promo forecasts more on promo days (+30 in the data).
        assert (out["mean"] - quiet["mean"]).mean() > 10
    with pytest.raises(InvalidRequest, match="No history for item"):
        model.forecast(["nope"])


@pytest.mark.slow
def test_the_notebooks_run_and_reproduce_every_backtest(tmp_path):
    import json

    frame = pd.concat(
        [seasonal_frame(items=2), seasonal_frame(items=1, seed=3).assign(store="x")],
        ignore_index=True,
    )
    frame = frame.drop(index=frame.index[[10, 11]])  # a gap: interpolated, and reported
    # With a holiday calendar: the global model's holiday counts are rebuilt in the notebook.
    forecast = {"backtest_windows": 2, "holiday_country": "US"}
    result = run_job(config(tmp_path, frame, forecast=forecast), RecordingReporter())
    assert set(result.artifacts) == {
        "data_exploration_notebook",
        "candidate_definitions_notebook",
        "model",
    }

    explored = execute_notebook(result.artifacts["data_exploration_notebook"])
    text = "\n".join(c.source for c in explored.cells if c.cell_type == "markdown")
    assert "Frequency **MS** (detected); season **12** periods" in text
    assert "**2** missing periods in all" in text
    # The holiday calendar's section: how many steps hold a holiday, each step's count
    # recomputed by the engine's own code, and the plots mark them.
    assert "Public holidays of **US** (the holiday calendar)" in text
    [counted] = [c for c in explored.cells if "HOLIDAY_COUNTRY = 'US'" in c.source]
    assert "mean" in counted.outputs[0]["data"]["text/plain"]
    errors = [
        o
        for c in explored.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors

    notebook = execute_notebook(result.artifacts["candidate_definitions_notebook"])
    [cell] = [
        c
        for c in notebook.cells
        if c.cell_type == "code" and "print(json.dumps(REPRODUCTION))" in c.source
    ]
    # One long print may come as several stream outputs (the kernel flushes on a timer).
    reproduced = json.loads("".join(o["text"] for o in cell.outputs if o.get("name") == "stdout"))
    board = {c.name: c.objective_value for c in result.candidates}
    assert set(reproduced) == set(board)
    for name, entry in reproduced.items():
        assert entry["expected"] == pytest.approx(board[name])
        assert abs(entry["reproduced"] - entry["expected"]) <= 0.002, (name, entry)


def test_a_saved_lightgbm_keeps_its_fit_and_only_the_tail_it_reads(tmp_path):
    from jupyter_autopilot.engine.forecasting.candidates import ForecastTask
    from jupyter_autopilot.engine.forecasting.global_lightgbm import GlobalLightGBM
    from jupyter_autopilot.engine.forecasting.series import SeriesSpec, regularize, to_long

    spec = SeriesSpec(timestamp="date", target="sales", item_ids=("store",), horizon=6)
    series, _ = regularize(to_long(seasonal_frame(), spec), "MS")
    task = ForecastTask(horizon=6, freq="MS", season=12)
    model = ForecastModel.build("LightGBM", {"LightGBM": 1.0}, task, series, spec)
    # Lags 1, 2, 3 and 12 and a 12-step window: the last 12 values of each item.
    assert model.series.groupby("item_id").size().to_dict() == {"s0": 12, "s1": 12, "s2": 12}
    path = tmp_path / "model.joblib"
    sha = model.save(path)
    loaded = ForecastModel.load(path, sha)
    refit = GlobalLightGBM().forecast(series, task)
    pd.testing.assert_frame_equal(loaded.forecast(), refit)
    # An ensemble keeps every item's history for its statistical members, and LightGBM's fit.
    both = ForecastModel.build("Ensemble", {"ETS": 0.5, "LightGBM": 0.5}, task, series, spec)
    assert len(both.series) == len(series) and set(both.fitted) == {"LightGBM"}
