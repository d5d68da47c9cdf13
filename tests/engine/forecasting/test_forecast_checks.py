"""The data checks of a forecasting dataset: what they find, and how they say what to fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from forecast_testdata import co2_weekly, seasonal_frame

from jupyter_autopilot.engine.forecasting import frequency
from jupyter_autopilot.engine.forecasting.checks import check_series, raise_for_errors
from jupyter_autopilot.engine.forecasting.series import SeriesSpec, regularize, to_long
from jupyter_autopilot.exceptions import InvalidDataset

SPEC = SeriesSpec(
    timestamp="date", target="sales", item_ids=("store",), horizon=12, backtest_windows=2
)


def codes(check) -> dict[str, str]:
    return {w.code: w.severity for w in check.warnings}


def test_a_clean_dataset_has_no_findings():
    check = check_series(seasonal_frame(), SPEC)
    assert check.warnings == []
    assert (check.frequency, check.season) == ("MS", 12)
    assert check.usable_items == ["s0", "s1", "s2"]


@pytest.mark.parametrize(
    ("freq", "season"),
    [("D", 7), ("h", 24), ("W-SUN", 52), ("15min", 4), ("2h", 12), ("QS-JAN", 4), ("YS-JAN", 1)],
)
def test_frequency_and_season_detected(freq, season):
    stamps = pd.date_range("2024-01-07", periods=30, freq=freq)
    found = frequency.detect_frequency(pd.DataFrame({"t": stamps, "y": 1.0}), "t", None)
    # pandas may name an equivalent anchor (QS-OCT for QS-JAN): the grid is what must agree.
    assert found is not None
    assert pd.date_range(stamps[0], periods=30, freq=found).equals(stamps)
    assert frequency.season_length(found) == season
    assert frequency.future_timestamps(stamps[-2], found, 1)[0] == stamps[-1]


def test_the_most_common_frequency_over_items_wins():
    frame = seasonal_frame(items=3)
    # One item resampled to quarters: two monthly items outvote it.
    quarterly = frame[(frame.store == "s2") & (frame.date.dt.month % 3 == 1)]
    frame = pd.concat([frame[frame.store != "s2"], quarterly])
    assert frequency.detect_frequency(frame, "date", "store") == "MS"


def test_duplicates_are_an_error_that_says_how_to_fix_them():
    frame = seasonal_frame()
    frame = pd.concat([frame, frame.iloc[[5, 6]]])
    check = check_series(frame, SPEC)
    found = next(w for w in check.warnings if w.code == "duplicate_timestamps")
    assert found.severity == "error"
    assert "2 timestamps appear more than once" in found.message
    assert "'s0'" in found.message
    assert "Aggregate" in (found.suggestion or "")
    with pytest.raises(InvalidDataset, match="more than once"):
        raise_for_errors(check)


def test_gaps_are_reported_and_interpolated():
    frame = seasonal_frame().drop(index=[10, 11, 100])
    check = check_series(frame, SPEC)
    assert codes(check) == {"missing_periods": "warning"}
    gap = check.warnings[0]
    assert "2 items miss 3 periods" in gap.message and "'s0'" in gap.message
    series, filled = regularize(to_long(frame, SPEC), "MS")
    assert filled == 3 and len(series) == len(seasonal_frame())
    s0 = series[series.item_id == "s0"].target.to_numpy()
    # Linear between the neighbours of the two missing months.
    assert s0[10] == pytest.approx(s0[9] + (s0[12] - s0[9]) / 3)


def test_an_irregular_item_is_an_error():
    frame = seasonal_frame()
    shifted = frame.store == "s1"
    frame.loc[shifted, "date"] = frame.loc[shifted, "date"] + pd.Timedelta(days=3)
    check = check_series(frame, SPEC)
    found = next(w for w in check.warnings if w.code == "irregular_timestamps")
    assert found.severity == "error"
    assert "1 items have timestamps off the 'MS' grid: 's1'" in found.message


def test_random_timestamps_have_no_frequency():
    rng = np.random.default_rng(0)
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        np.sort(rng.choice(10_000, 50, replace=False)), unit="h"
    )
    check = check_series(
        pd.DataFrame({"date": stamps, "sales": 1.0}),
        SPEC.__class__(timestamp="date", target="sales", horizon=3),
    )
    assert codes(check) == {"unknown_frequency": "error"}
    assert "Set the frequency" in (check.warnings[0].suggestion or "")


def test_short_items_are_left_out_and_all_short_is_an_error():
    frame = seasonal_frame()
    # s2 keeps 30 months: 2 windows of 12 need 13 + 24 = 37.
    frame = frame[(frame.store != "s2") | (frame.date < "2017-07-01")]
    check = check_series(frame, SPEC)
    assert codes(check) == {"series_too_short": "warning"}
    assert "need 37 periods" in check.warnings[0].message
    assert check.usable_items == ["s0", "s1"]

    short = check_series(seasonal_frame(length=30), SPEC)
    assert codes(short) == {"series_too_short": "error"}
    assert "the longest has 30" in short.warnings[0].message


def test_target_values_checked():
    frame = seasonal_frame().astype({"sales": object})
    frame.loc[3, "sales"] = "n/a"
    frame.loc[4, "sales"] = None
    frame.loc[5, "sales"] = -1.0
    frame.loc[6, "sales"] = 0.0
    check = check_series(frame, SPEC)
    assert codes(check) == {
        "non_numeric_target": "error",
        "missing_target": "warning",
        "negative_target": "info",
        "zero_target": "info",
    }
    assert "'n/a'" in check.warnings[0].message


def test_columns_and_timestamps_checked_first():
    frame = seasonal_frame()
    check = check_series(frame, SeriesSpec(timestamp="when", target="sales", horizon=3))
    assert codes(check) == {"missing_column": "error"}
    assert "'when'" in check.warnings[0].message and "'date'" in (
        check.warnings[0].suggestion or ""
    )
    frame["date"] = frame["date"].astype(str)
    frame.loc[0, "date"] = "yesterday"
    check = check_series(frame, SPEC)
    assert codes(check) == {"unparseable_timestamps": "error"}
    assert "'yesterday'" in check.warnings[0].message


def test_real_weekly_co2_with_missing_weeks():
    """statsmodels' Mauna Loa CO2: weekly on Saturdays, 59 weeks without a value."""
    spec = SeriesSpec(timestamp="date", target="co2", horizon=52, backtest_windows=2)
    check = check_series(co2_weekly(), spec)
    assert check.frequency == "W-SAT" and check.season == 52
    assert codes(check) == {"missing_target": "warning"}
    assert "59 values" in check.warnings[0].message
