"""Candidates on generated and real series: who beats seasonal naive, related series, ensemble."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from forecast_testdata import promo_frame, real_monthly, seasonal_frame

from jupyter_autopilot.engine.forecasting import candidates
from jupyter_autopilot.engine.forecasting.backtest import backtest
from jupyter_autopilot.engine.forecasting.candidates import (
    ForecastTask,
    arima,
    ets,
    ets_forecast,
    ets_models,
    seasonal_naive,
    theta,
)
from jupyter_autopilot.engine.forecasting.ensemble import Ensemble
from jupyter_autopilot.engine.forecasting.global_lightgbm import GlobalLightGBM
from jupyter_autopilot.engine.forecasting.search import search
from jupyter_autopilot.engine.forecasting.series import SeriesSpec, regularize, to_long

WQL = "AverageWeightedQuantileLoss"


def test_candidates_beat_seasonal_naive_on_trend_and_season(seasonal_search):
    """A trend is what seasonal naive misses (it repeats last year's level); ETS, ARIMA and
    the global LightGBM model it. Theta's drift, half the fitted slope, does not keep up
    with this trend: it only beats seasonal naive (0.69x its Average wQL here)."""
    board = seasonal_search.leaderboard().set_index("candidate")
    naive = board.loc["SeasonalNaive"]
    for name in ("ETS", "ARIMA", "LightGBM"):
        assert board.loc[name, WQL] < 0.6 * naive[WQL], name
        assert board.loc[name, "MASE"] < 0.6 * naive["MASE"], name
    assert board.loc["Theta", WQL] < naive[WQL]
    assert board.loc["Theta", "MASE"] < naive["MASE"]


def test_the_ensemble_is_kept_when_it_beats_every_candidate(seasonal_search):
    board = seasonal_search.leaderboard()
    assert board.candidate.iloc[0] == "Ensemble"
    ensemble = seasonal_search.candidates["Ensemble"]
    assert sum(ensemble.weights.values()) == pytest.approx(1.0)
    assert len(ensemble.weights) >= 2
    singles = board[board.candidate != "Ensemble"]
    assert board[WQL].iloc[0] < singles[WQL].min()


def test_an_ensemble_forecast_is_the_weighted_average_of_its_members(seasonal_search):
    series, task = seasonal_search.series, seasonal_search.task
    members = {"SeasonalNaive": seasonal_naive(), "Theta": theta()}
    ensemble = Ensemble(members, {"SeasonalNaive": 0.25, "Theta": 0.75})
    forecast = ensemble.forecast(series, task)
    # The horizon after each item's last month (December 2020).
    assert len(forecast) == 3 * 12
    assert forecast.groupby("item_id").timestamp.min().unique().tolist() == [
        pd.Timestamp("2021-01-01")
    ]
    naive, theta_forecast = (m.forecast(series, task) for m in members.values())
    for column in ("mean", "p10", "p90"):
        np.testing.assert_allclose(
            forecast[column], 0.25 * naive[column] + 0.75 * theta_forecast[column]
        )


def test_candidates_beat_seasonal_naive_on_real_series():
    """statsmodels' CO2 and El Niño series, monthly, 10 years each (ARIMA is left out for
    time: it is tested on the generated series)."""
    spec = SeriesSpec(
        timestamp="month", target="value", item_ids=("series",), horizon=12, backtest_windows=2
    )
    result = search(real_monthly(), spec, names=["SeasonalNaive", "ETS", "Theta", "LightGBM"])
    board = result.leaderboard().set_index("candidate")
    for name in ("ETS", "Theta", "LightGBM"):
        assert board.loc[name, WQL] < board.loc["SeasonalNaive", WQL], name
        assert board.loc[name, "MASE"] < board.loc["SeasonalNaive", "MASE"], name


def _promo(items: int, length: int):
    frame = promo_frame(items=items, length=length)
    spec = SeriesSpec(
        timestamp="date", target="sales", item_ids=("store",), related=("promo",), horizon=14
    )
    series = regularize(to_long(frame, spec), "D")[0]
    return series, ForecastTask(horizon=14, freq="D", season=7, related=("promo",))


def test_lightgbm_uses_the_related_series_future_values():
    series, task = _promo(items=3, length=120)
    with_promo = backtest(GlobalLightGBM(), series, task, windows=1)
    without = backtest(
        GlobalLightGBM(), series.drop(columns="promo"), ForecastTask(14, "D", 7), windows=1
    )
    assert with_promo.metrics[WQL] < 0.4 * without.metrics[WQL]
    assert with_promo.metrics["WAPE"] < 0.05


def _holiday_sales(country: str, items: int = 2) -> pd.DataFrame:
    """Two years of daily sales with a weekly pattern that jump fivefold on `country`'s
    public holidays (the last 28 days hold Christmas and New Year's Eve's eve)."""
    from jupyter_autopilot.engine.forecasting.holiday_calendar import holiday_counts

    rng = np.random.default_rng(0)
    dates = pd.date_range("2023-01-05", "2024-12-31", freq="D")
    holiday = holiday_counts(dates, "D", country)
    parts = []
    for item in range(items):
        base = 20 + 5 * item + 3 * (dates.day_of_week >= 5) + rng.normal(0, 1, len(dates))
        sales = base * (1 + 4 * holiday)
        parts.append(pd.DataFrame({"item_id": f"s{item}", "timestamp": dates, "target": sales}))
    return pd.concat(parts, ignore_index=True)


def test_lightgbm_learns_a_holiday_calendar():
    from jupyter_autopilot.engine.forecasting.holiday_calendar import holiday_counts

    series = _holiday_sales("US")
    plain = ForecastTask(28, "D", 7)
    task = ForecastTask(28, "D", 7, holiday_country="US")
    with_calendar = backtest(GlobalLightGBM(), series, task, windows=1)
    without = backtest(GlobalLightGBM(), series, plain, windows=1)
    assert with_calendar.metrics["WAPE"] < 0.5 * without.metrics["WAPE"]
    # The future's holidays come from the calendar: Christmas is forecast high.
    history = series[series["timestamp"] < "2024-12-04"]
    forecast = GlobalLightGBM().forecast(history, task)
    days = pd.DatetimeIndex(forecast["timestamp"])
    on_holiday = holiday_counts(days, "D", "US") > 0
    assert on_holiday.any()
    assert forecast["mean"][on_holiday].min() > 2 * forecast["mean"][~on_holiday].max()


def test_arima_takes_the_holiday_calendar_as_a_regressor():
    # One item, the last year: the calendar's flag is a regressor (no future values given).
    series = _holiday_sales("US", items=1)
    series = series[series["timestamp"] >= "2024-01-01"]
    with_calendar = backtest(
        arima(), series, ForecastTask(28, "D", 7, holiday_country="US"), windows=1
    )
    without = backtest(arima(), series, ForecastTask(28, "D", 7), windows=1)
    assert with_calendar.metrics["WAPE"] < 0.5 * without.metrics["WAPE"]


@pytest.mark.parametrize("make", [ets, theta], ids=["ETS", "Theta"])
def test_ets_and_theta_take_the_holidays_out_and_put_them_back(make):
    # They take no regressors: the calendar's effect (fivefold here) is measured against
    # the same weekday around each holiday, removed before the fit, applied to the
    # horizon's holidays (Christmas in the last 28 days).
    series = _holiday_sales("US", items=1)
    series = series[series["timestamp"] >= "2024-01-01"]
    task = ForecastTask(28, "D", 7, holiday_country="US")
    with_calendar = backtest(make(), series, task, windows=1)
    without = backtest(make(), series, ForecastTask(28, "D", 7), windows=1)
    assert with_calendar.metrics["WAPE"] < 0.5 * without.metrics["WAPE"]
    history = series.iloc[:-28]
    forecast = make().forecast(history, task)
    christmas = forecast[forecast["timestamp"] == "2024-12-25"].iloc[0]
    others = forecast[forecast["timestamp"] != "2024-12-25"]
    assert christmas["mean"] > 3 * others["mean"].median()
    assert christmas["p10"] < christmas["mean"] < christmas["p90"]
    # Monthly steps count holidays rather than flag them: no adjustment there.
    monthly = seasonal_frame(items=1).rename(
        columns={"store": "item_id", "date": "timestamp", "sales": "target"}
    )
    assert candidates.holiday_effect(np.ones(3), np.zeros(3), 1) is None
    plain = make().forecast(monthly, ForecastTask(6, "MS", 12))
    calendar = make().forecast(monthly, ForecastTask(6, "MS", 12, holiday_country="US"))
    pd.testing.assert_frame_equal(plain, calendar)


def test_holiday_counts_one_rule_per_frequency():
    from jupyter_autopilot.engine.forecasting.holiday_calendar import holiday_counts

    # 4 July 2015 was a Saturday, observed on Friday the 3rd.
    business = pd.date_range("2015-06-29", "2015-07-10", freq="B")
    flags = holiday_counts(business, "B", "US")
    assert set(flags) == {0.0, 1.0}  # a business day is flagged, never counted
    assert list(business[flags > 0].strftime("%m-%d")) == ["07-03"]
    days = pd.date_range("2015-06-29", "2015-07-10", freq="D")
    assert list(days[holiday_counts(days, "D", "US") > 0].strftime("%m-%d")) == ["07-03", "07-04"]
    hours = pd.date_range("2015-07-03 22:00", periods=4, freq="h")
    assert holiday_counts(hours, "h", "US").tolist() == [1.0, 1.0, 1.0, 1.0]
    # Coarser steps count their period's holidays (the week ending 5 July: both days).
    weeks = pd.date_range("2015-06-28", periods=2, freq="W-SUN")
    assert holiday_counts(weeks, "W-SUN", "US").tolist() == [0.0, 2.0]
    two_days = pd.date_range("2015-07-02", periods=2, freq="2D")
    assert holiday_counts(two_days, "2D", "US").tolist() == [1.0, 1.0]


def test_holiday_pairs_compare_with_the_season_around():
    y = np.array([10.0, 1.0, 10.0, 50.0, 10.0, np.nan, 10.0, 60.0, 12.0])
    flags = np.array([0, 0, 0, 1, 0, 0, 0, 1, 0])
    # Season 2: step 3 against steps 1 and 5 (5 is missing: 1 alone); step 7 against 5
    # (missing) and none after: left out.
    assert candidates.holiday_pairs(y, flags, 2) == [(50.0, 1.0)]
    # Season 3: steps 0 and 6 around step 3, step 4 before step 7.
    assert candidates.holiday_pairs(y, flags, 3) == [(50.0, 10.0), (60.0, 10.0)]
    assert candidates.holiday_pairs(y, flags, 4) == []  # each other's neighbour only
    assert candidates.holiday_pairs(y, flags, 1) == []  # no season, no pairs
    assert candidates.holiday_effect(y, flags, 3) == ("add", 45.0)  # a NaN: not all > 0


def test_the_exploration_notebook_reports_the_holidays_effect():
    from jupyter_autopilot.engine.forecasting.notebooks import holiday_findings

    # Sales five times higher on US holidays: the ratio to the same weekday a week before
    # and after is about 5; monthly steps only count the holidays.
    series = _holiday_sales("US")
    daily = holiday_findings(series, "D", 7, "US")
    flagged = int(daily[0].split("**")[3])
    assert 2 * 20 <= flagged <= 2 * 24  # 11 federal holidays a year (observed days too)
    ratio = float(daily[1].split("**")[1].rstrip("x"))
    assert 4.5 < ratio < 5.5, daily
    monthly = series.set_index("timestamp").groupby("item_id")["target"].resample("MS").sum()
    monthly = monthly.reset_index()
    lines = holiday_findings(monthly, "MS", 12, "US")
    assert len(lines) == 1 and "of **US**" in lines[0] and "of the 48 steps" in lines[0]


def test_a_country_without_a_calendar_is_an_error_that_says_so():
    frame = seasonal_frame()
    spec = SeriesSpec("date", "sales", ("store",), horizon=6, holiday_country="ZZ")
    from jupyter_autopilot.engine.forecasting.checks import check_series

    [error] = check_series(frame, spec).errors
    assert error.code == "unknown_holiday_country" and "'ZZ'" in error.message


def test_arima_takes_the_related_series_as_regressors():
    series, task = _promo(items=1, length=90)
    with_promo = backtest(arima(), series, task, windows=1)
    without = backtest(arima(), series.drop(columns="promo"), ForecastTask(14, "D", 7), windows=1)
    assert with_promo.metrics["WAPE"] < 0.5 * without.metrics["WAPE"]


def test_lightgbm_is_deterministic():
    series = regularize(
        to_long(seasonal_frame(length=48), SeriesSpec("date", "sales", ("store",))), "MS"
    )[0]
    task = ForecastTask(horizon=6, freq="MS", season=12)
    first = GlobalLightGBM().forecast(series, task)
    pd.testing.assert_frame_equal(first, GlobalLightGBM().forecast(series, task))


def test_a_refused_fit_falls_back_to_seasonal_naive_for_that_item():
    """No ETS model fits 4 values (AICc needs more observations than parameters); that item
    gets the fallback (naive: a history of one season has no season before it to repeat),
    the others ETS."""
    series = regularize(
        to_long(
            seasonal_frame(length=40, season=4, freq="QS"), SeriesSpec("date", "sales", ("store",))
        ),
        "QS-JAN",
    )[0]
    tiny = series[series.item_id == "s2"].iloc[:4]
    series = pd.concat([series[series.item_id != "s2"], tiny], ignore_index=True)
    candidate = ets()
    forecast = candidate.forecast(series, ForecastTask(horizon=4, freq="QS-JAN", season=4))
    assert candidate.fallbacks == ["s2"]
    s2 = forecast[forecast.item_id == "s2"]["mean"].to_numpy()
    np.testing.assert_allclose(s2, np.full(4, tiny.target.iloc[-1]))
    s0 = forecast[forecast.item_id == "s0"]["mean"].to_numpy()
    last_year = series[series.item_id == "s0"].target.to_numpy()[-4:]
    assert not np.allclose(s0, last_year)  # ETS's own forecast, not seasonal naive's


def test_ets_tries_fewer_models_when_there_are_many_items():
    positive = np.arange(1.0, 49.0)
    full = ets_models(positive, season=12, reduced=False)
    assert len(full) == 15
    assert {(m["error"], m["seasonal"]) for m in full} == {
        ("add", None),
        ("add", "add"),
        ("mul", None),
        ("mul", "add"),
        ("mul", "mul"),
    }
    assert len(ets_models(positive, season=12, reduced=True)) == 4
    # A series that crosses zero has no multiplicative model; one season is not enough
    # to estimate a seasonal one.
    assert len(ets_models(positive - 10, season=12, reduced=False)) == 6
    assert len(ets_models(positive[:20], season=12, reduced=False)) == 6


def test_ets_with_simulated_intervals_is_deterministic():
    """A multiplicative ETS's intervals are simulated (chosen here: a season and noise
    proportional to the level); seeded, the same data gives the same quantiles."""
    t = np.arange(48.0)
    noise = np.random.default_rng(0).standard_normal(48)
    y = (50 + 5 * t) * (1 + 0.3 * np.sin(t * np.pi / 6)) * (1 + 0.05 * noise)
    task = ForecastTask(horizon=6, freq="MS", season=12)
    first = ets_forecast(y, task)
    second = ets_forecast(y, task)
    for q in task.quantiles:
        np.testing.assert_array_equal(first[1][q], second[1][q])


def test_arima_is_skipped_with_a_note_when_its_backtest_would_be_too_slow(monkeypatch):
    monkeypatch.setattr(candidates, "ARIMA_MAX_SECONDS", 0.0)
    spec = SeriesSpec(
        timestamp="date", target="sales", item_ids=("store",), horizon=12, backtest_windows=2
    )
    result = search(seasonal_frame(length=48), spec, names=["SeasonalNaive", "ARIMA"])
    assert list(result.results) == ["SeasonalNaive"]
    assert re.fullmatch(
        r"ARIMA skipped: about \d+ s for 3 items x 2 windows \(one fit took [\d.]+ s\), "
        r"more than the 0 s allowed",
        result.skipped["ARIMA"],
    )


def test_forecasts_of_a_nonnegative_series_are_never_negative():
    rng = np.random.default_rng(3)
    counts = pd.DataFrame(
        {
            "date": pd.date_range("2024-01-01", periods=60, freq="D"),
            "sales": rng.poisson(0.4, 60).astype(float),
        }
    )
    spec = SeriesSpec(timestamp="date", target="sales", horizon=7, backtest_windows=1)
    result = search(counts, spec, names=["SeasonalNaive", "ETS", "LightGBM"])
    for name, res in result.results.items():
        values = res.forecasts[["mean", "p10", "p50", "p90"]].to_numpy()
        assert (values >= 0).all(), name
