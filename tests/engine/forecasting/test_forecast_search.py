"""The search over a dataset: refused on errors, short items left out, a ranked leaderboard."""

from __future__ import annotations

import pandas as pd
import pytest
from forecast_testdata import seasonal_frame

from jupyter_autopilot.engine.forecasting.search import search
from jupyter_autopilot.engine.forecasting.series import SeriesSpec
from jupyter_autopilot.exceptions import InvalidDataset

SPEC = SeriesSpec(
    timestamp="date", target="sales", item_ids=("store",), horizon=12, backtest_windows=2
)


def test_errors_refuse_the_search_with_what_to_fix():
    frame = seasonal_frame()
    frame = pd.concat([frame, frame.iloc[[0]]])
    with pytest.raises(InvalidDataset, match=r"more than once.*Aggregate the rows"):
        search(frame, SPEC, names=["SeasonalNaive"])


def test_short_items_and_gaps_are_reported_and_the_rest_backtested():
    frame = seasonal_frame(items=3)
    frame = frame[(frame.store != "s2") | (frame.date < "2017-01-01")].drop(index=[20])
    result = search(frame, SPEC, names=["SeasonalNaive", "ETS"])
    assert {w.code for w in result.warnings} == {"series_too_short", "missing_periods"}
    assert sorted(result.series.item_id.unique()) == ["s0", "s1"]
    assert len(result.series) == 2 * 72  # the missing month is back, interpolated
    forecasts = result.results["ETS"].forecasts
    assert sorted(forecasts.item_id.unique()) == ["s0", "s1"]
    assert len(forecasts) == 2 * 12 * 2  # items x horizon x windows


def test_the_leaderboard_ranks_by_average_wql():
    result = search(seasonal_frame(), SPEC, names=["SeasonalNaive", "ETS"])
    board = result.leaderboard()
    assert board.columns.tolist() == [
        "candidate",
        "AverageWeightedQuantileLoss",
        "WAPE",
        "RMSE",
        "MASE",
        "MAPE",
        "fit_seconds",
    ]
    assert board.AverageWeightedQuantileLoss.is_monotonic_increasing
    assert board.candidate.iloc[0] != "SeasonalNaive"
