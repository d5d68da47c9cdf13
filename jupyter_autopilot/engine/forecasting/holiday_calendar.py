"""National holiday calendars as forecasting features (SageMaker's `HolidayConfig`).

The public holidays of one country, from the `holidays` package (the "Open World
Holidays Framework": about 200 countries, computed by rule, no download), counted per
step of a series: for daily and finer data whether the step's day is a holiday, for
coarser data how many holidays fall in the step's period. Known for any future date, so
a forecaster can use them over its horizon without the user giving future values.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import (
    BaseOffset,
    BusinessDay,
    MonthEnd,
    QuarterEnd,
    Week,
    YearEnd,
)


@cache
def supported_holiday_countries() -> tuple[str, ...]:
    """The two-letter (ISO 3166-1 alpha-2) country codes with a holiday calendar here."""
    import holidays

    return tuple(sorted(c for c in holidays.list_supported_countries() if len(c) == 2))


@cache  # the recursive forecast asks for one step at a time
def _holiday_days(country: str, first_year: int, last_year: int) -> np.ndarray:
    import holidays

    calendar = holidays.country_holidays(country, years=range(first_year, last_year + 1))
    return np.array(sorted(np.datetime64(day, "D") for day in calendar), dtype="datetime64[D]")


def _labels_period_end(offset: BaseOffset) -> bool:
    """Whether a timestamp of this frequency names the end of its period (W-SUN: the week
    ending that Sunday; ME, QE, YE: the period's last day), as pandas' resampling labels it."""
    if isinstance(offset, Week):
        return getattr(offset, "weekday", None) is not None
    return isinstance(offset, MonthEnd | QuarterEnd | YearEnd)


def daily_or_finer(freq: str) -> bool:
    """Whether a step is a day or less (business days included): there a holiday is a
    step of its own, flagged 0 or 1."""
    offset = to_offset(freq)
    if isinstance(offset, BusinessDay):
        return offset.n == 1
    try:  # pandas 3's Day is no longer a Tick, but has a fixed length like one
        return offset.nanos <= pd.Timedelta(days=1).value
    except ValueError:  # weeks, months, quarters, years: not fixed
        return False


def holiday_counts(stamps: pd.DatetimeIndex, freq: str, country: str) -> np.ndarray:
    """Public holidays of `country` in each step's period: 0 or 1 for daily and finer
    steps, business days included (is the step's day a holiday; a weekend's holiday is no
    business day's, and the calendars hold the weekday it is observed on), a count for
    weekly, monthly or coarser steps."""
    stamps = pd.DatetimeIndex(stamps)
    if len(stamps) == 0:
        return np.zeros(0)
    offset = to_offset(freq)
    days = stamps.normalize().to_numpy().astype("datetime64[D]")
    first, last = int(stamps.min().year) - 1, int(stamps.max().year) + 1
    holidays = _holiday_days(country, first, last)
    if daily_or_finer(freq):  # the one rule for "a holiday is a step of its own"
        return np.isin(days, holidays).astype(float)
    if _labels_period_end(offset):
        # (previous label, this label]: the days after the last period's end, up to this one.
        starts = (stamps - offset).normalize().to_numpy().astype("datetime64[D]") + 1
        ends = days + 1
    else:
        starts, ends = days, (stamps + offset).normalize().to_numpy().astype("datetime64[D]")
    counts = np.searchsorted(holidays, ends, side="left") - np.searchsorted(
        holidays, starts, side="left"
    )
    return counts.astype(float)
