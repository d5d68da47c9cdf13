"""The forecast metrics against hand-computed values (AWS's definitions)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.engine.forecasting import metrics

Y = np.array([10.0, 20.0, 30.0, 0.0])
MEAN = np.array([12.0, 18.0, 27.0, 2.0])
P10 = np.array([8.0, 25.0, 30.0, 1.0])


def test_weighted_quantile_loss_by_hand():
    # y - q = [2, -5, 0, -1]; pinball at 0.1: 0.1*2, 0.9*5, 0, 0.9*1 = 5.6; x2 / sum|y| (60)
    assert metrics.weighted_quantile_loss(Y, P10, 0.1) == pytest.approx(11.2 / 60)
    # At 0.9 the same errors weigh: 0.9*2, 0.1*5, 0, 0.1*1 = 2.4
    assert metrics.weighted_quantile_loss(Y, P10, 0.9) == pytest.approx(4.8 / 60)


def test_wql_at_the_median_is_wape():
    """AWS scales wQL by 2 so that wQL[0.5] of the median forecast is WAPE."""
    assert metrics.weighted_quantile_loss(Y, MEAN, 0.5) == pytest.approx(metrics.wape(Y, MEAN))


def test_wql_of_an_all_zero_window_is_the_unweighted_loss():
    assert metrics.weighted_quantile_loss(np.zeros(2), np.array([1.0, -1.0]), 0.5) == 2.0


def test_point_metrics_by_hand():
    assert metrics.wape(Y, MEAN) == pytest.approx(9 / 60)
    assert metrics.rmse(Y, MEAN) == pytest.approx(math.sqrt(21 / 4))
    # The zero actual is left out: (2/10 + 2/20 + 3/30) / 3
    assert metrics.mape(Y, MEAN) == pytest.approx(0.4 / 3)
    assert math.isnan(metrics.mape(np.zeros(3), np.ones(3)))


def test_mase_by_hand():
    history = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    # Seasonal differences at m=2 are all 2; the window's mean absolute error is 9/4.
    assert metrics.seasonal_scale(history, 2) == 2.0
    assert metrics.mase(Y, MEAN, history, 2) == pytest.approx(2.25 / 2)
    # A history no longer than the season falls back to m=1 (differences of 1).
    assert metrics.seasonal_scale(history, 12) == 1.0
    assert math.isnan(metrics.mase(Y, MEAN, np.ones(5), 1))


def test_quantile_columns():
    assert [metrics.quantile_column(q) for q in (0.1, 0.5, 0.9, 0.025)] == [
        "p10",
        "p50",
        "p90",
        "p2.5",
    ]
    assert metrics.wql_name(0.1) == "wQL[0.1]"


def test_score_window_pools_items_and_averages_mase_per_item():
    stamps = pd.date_range("2024-01-01", periods=2, freq="D")
    actuals = pd.DataFrame(
        {"item_id": ["a", "a", "b", "b"], "timestamp": [*stamps, *stamps], "target": Y}
    )
    forecast = actuals[["item_id", "timestamp"]].assign(mean=MEAN, p10=P10, p50=MEAN, p90=MEAN + 5)
    histories = {"a": np.array([0.0, 1.0, 2.0]), "b": np.array([0.0, 4.0, 8.0])}
    scores = metrics.score_window(actuals, forecast, histories, season=1)
    assert scores["WAPE"] == pytest.approx(9 / 60)
    assert scores["wQL[0.1]"] == pytest.approx(11.2 / 60)
    # p90 = mean + 5: y - q = [-7, -3, -2, -7]; 0.1 * 19 = 1.9, x2 / 60
    assert scores["wQL[0.9]"] == pytest.approx(3.8 / 60)
    assert scores["AverageWeightedQuantileLoss"] == pytest.approx(
        np.mean([11.2 / 60, 9 / 60, 3.8 / 60])
    )
    # Item a: MAE (2+2)/2 = 2 over scale 1; item b: (3+2)/2 = 2.5 over scale 4.
    assert scores["MASE"] == pytest.approx((2 / 1 + 2.5 / 4) / 2)


def test_score_window_refuses_a_forecast_that_misses_points():
    stamps = pd.date_range("2024-01-01", periods=2, freq="D")
    actuals = pd.DataFrame({"item_id": "a", "timestamp": stamps, "target": [1.0, 2.0]})
    forecast = actuals.iloc[:1][["item_id", "timestamp"]].assign(
        mean=1.0, p10=1.0, p50=1.0, p90=1.0
    )
    with pytest.raises(ValueError, match="covers 1 of the window's 2 points"):
        metrics.score_window(actuals, forecast, {"a": np.ones(3)}, season=1)


def test_metric_and_quantile_names_are_sagemakers():
    """The names SageMaker's AutoML V2 takes (botocore's service model): the next slices send
    them as the objective and the forecast quantiles."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    assert set(metrics.FORECAST_METRICS) <= set(model.shape_for("AutoMLMetricEnum").enum)
    config = model.shape_for("TimeSeriesForecastingJobConfig")
    pattern = config.members["ForecastQuantiles"].member.metadata["pattern"]
    for q in metrics.DEFAULT_QUANTILES:
        assert re.fullmatch(pattern, metrics.quantile_column(q))
