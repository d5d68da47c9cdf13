"""Rolling-origin backtests: the windows, and metrics equal to a recomputation by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_testdata import seasonal_frame

from jupyter_autopilot.engine.forecasting.backtest import backtest, split
from jupyter_autopilot.engine.forecasting.candidates import ForecastTask, seasonal_naive
from jupyter_autopilot.engine.forecasting.series import SeriesSpec, regularize, to_long

SPEC = SeriesSpec(
    timestamp="date", target="sales", item_ids=("store",), horizon=12, backtest_windows=2
)
TASK = ForecastTask(horizon=12, freq="MS", season=12)


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    return regularize(to_long(seasonal_frame(length=60), SPEC), "MS")[0]


def pinball(y: np.ndarray, q: float, pred: np.ndarray) -> float:
    """wQL written out again: 2 x the pinball loss over the sum of |y|."""
    return 2 * np.sum(np.maximum(q * (y - pred), (q - 1) * (y - pred))) / np.abs(y).sum()


def test_windows_are_the_last_horizons_of_each_item():
    frame = pd.DataFrame(
        {
            "item_id": ["a"] * 10 + ["b"] * 7,
            "timestamp": [
                *pd.date_range("2024-01-01", periods=10),
                *pd.date_range("2024-01-05", periods=7),
            ],
            "target": np.arange(17.0),
        }
    )
    history, actuals = split(frame, horizon=2, windows=2, w=0)
    assert actuals.target.tolist() == [6.0, 7.0, 13.0, 14.0]
    assert history.groupby("item_id").size().to_dict() == {"a": 6, "b": 3}
    history, actuals = split(frame, horizon=2, windows=2, w=1)
    assert actuals.target.tolist() == [8.0, 9.0, 15.0, 16.0]
    assert history.groupby("item_id").size().to_dict() == {"a": 8, "b": 5}


def test_seasonal_naive_backtest_equals_a_recomputation_by_hand(series):
    result = backtest(seasonal_naive(), series, TASK, windows=2)
    assert [w.index for w in result.windows] == [0, 1]
    assert result.windows[0].cutoffs["s0"] == pd.Timestamp("2017-12-01")
    assert result.windows[1].cutoffs["s0"] == pd.Timestamp("2018-12-01")

    by_window = []
    for w, start in enumerate((36, 48)):
        ys, fs, p10s, p90s, mases = [], [], [], [], []
        for _, group in series.groupby("item_id"):
            values = group.target.to_numpy()
            y = values[start : start + 12]
            forecast = values[start - 12 : start]  # the same month a year before
            history = values[:start]
            ys.append(y)
            fs.append(forecast)
            mases.append(
                np.mean(np.abs(y - forecast)) / np.mean(np.abs(history[12:] - history[:-12]))
            )
            rows = result.forecasts[
                (result.forecasts.window == w) & (result.forecasts.item_id == group.item_id.iloc[0])
            ]
            np.testing.assert_allclose(rows["mean"], forecast)
            np.testing.assert_allclose(rows.target, y)
            p10s.append(rows.p10.to_numpy())
            p90s.append(rows.p90.to_numpy())
        y, f, p10, p90 = (np.concatenate(a) for a in (ys, fs, p10s, p90s))
        wqls = [pinball(y, 0.1, p10), pinball(y, 0.5, f), pinball(y, 0.9, p90)]
        by_window.append(
            {
                "wQL[0.1]": wqls[0],
                "AverageWeightedQuantileLoss": np.mean(wqls),
                "WAPE": np.abs(y - f).sum() / np.abs(y).sum(),
                "RMSE": np.sqrt(np.mean((y - f) ** 2)),
                "MASE": np.mean(mases),
                "MAPE": np.mean(np.abs((y - f) / y)),
            }
        )
    for w, expected in enumerate(by_window):
        for name, value in expected.items():
            assert result.windows[w].metrics[name] == pytest.approx(value), (w, name)
    for name in by_window[0]:
        assert result.metrics[name] == pytest.approx((by_window[0][name] + by_window[1][name]) / 2)


def test_forecasts_have_ordered_quantiles(series):
    result = backtest(seasonal_naive(), series, TASK, windows=1)
    f = result.forecasts
    assert list(f.columns) == [
        "item_id",
        "timestamp",
        "window",
        "mean",
        "p10",
        "p50",
        "p90",
        "target",
    ]
    assert len(f) == 3 * 12
    assert (f.p10 <= f.p50).all() and (f.p50 <= f.p90).all() and (f.p10 < f.p90).all()
