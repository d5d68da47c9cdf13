"""A series' frequency: detected from its timestamps, its future timestamps, its season."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from pandas.tseries.frequencies import to_offset

#: Seasonal period (observations per cycle) of each base frequency at multiple 1: the
#: periods Amazon Forecast and Autopilot use for MASE and seasonal models (an hour's
#: cycle is a day, a day's is a week, a month's is a year).
_SEASON_BY_BASE = {
    "min": 60,
    "h": 24,
    "D": 7,
    "B": 5,
    "W": 52,
    "MS": 12,
    "ME": 12,
    "M": 12,
    "QS": 4,
    "QE": 4,
    "Q": 4,
    "YS": 1,
    "YE": 1,
    "Y": 1,
}


def infer_frequency(timestamps: pd.Series) -> str | None:
    """The pandas frequency of one item's sorted, unique timestamps, or None if irregular.

    `pd.infer_freq` needs every step to agree; a series with a gap therefore has none, which
    is why `most_common_step` exists for the gap check.
    """
    values = pd.DatetimeIndex(timestamps.sort_values().unique())
    if len(values) < 3:
        return None
    try:
        # freq="infer" gives the offset itself: `pd.infer_freq` returns a string that pandas
        # 3 deprecates in favour of an offset, with a warning on every call.
        inferred = pd.DatetimeIndex(values, freq="infer").freq
    except (TypeError, ValueError):
        return None
    return None if inferred is None else inferred.freqstr


def most_common_step(timestamps: pd.Series) -> pd.Timedelta | None:
    """The most common difference between consecutive timestamps (None below 2 values)."""
    values = pd.Series(pd.DatetimeIndex(timestamps.sort_values().unique()))
    steps = values.diff().dropna()
    if steps.empty:
        return None
    return pd.Timedelta(steps.mode().iloc[0])


def detect_frequency(frame: pd.DataFrame, timestamp: str, item: str | None) -> str | None:
    """The most common frequency over items (`pd.infer_freq` per item), None if none has one."""
    groups = [frame[timestamp]] if item is None else [g for _, g in frame.groupby(item)[timestamp]]
    found = Counter(f for f in (infer_frequency(g) for g in groups) if f is not None)
    if not found:
        return None
    return found.most_common(1)[0][0]


def _base(freq: str) -> tuple[int, str]:
    """(multiple, base name) of a frequency string, anchors dropped ('2W-SUN' -> (2, 'W'))."""
    offset = to_offset(freq)
    name = offset.rule_code.split("-")[0]
    return int(offset.n), name


def season_length(freq: str | None) -> int:
    """Observations per seasonal cycle for `freq` (1 when it has no season we know).

    A multiple divides the base cycle when it can ('15min' -> 4 a hour, '2h' -> 12 a day);
    otherwise (a '7h' series) there is no whole cycle and the season is 1.
    """
    if freq is None:
        return 1
    n, base = _base(freq)
    base_season = 60 if base in ("s", "min") else _SEASON_BY_BASE.get(base, 1)
    if base_season % n == 0:
        return max(base_season // n, 1)
    return 1


def future_timestamps(last: pd.Timestamp, freq: str, horizon: int) -> pd.DatetimeIndex:
    """The `horizon` timestamps that follow `last` at `freq`."""
    return pd.date_range(last, periods=horizon + 1, freq=freq)[1:]


def expected_timestamps(first: pd.Timestamp, last: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    """Every timestamp from `first` to `last` at `freq` (what a series without gaps has)."""
    return pd.date_range(first, last, freq=freq)
