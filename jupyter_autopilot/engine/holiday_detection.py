"""Which country's public holidays move the target: found from the training rows.

Daily data about people (ridership, sales, energy use, visits) changes on public
holidays, and a holiday is a weekday the models cannot tell from any other: year, month,
day and weekday do not single out the fourth Thursday of November. So for each datetime
column the engine asks every country calendar of the `holidays` package whether its
holidays set the target apart: the target, less the mean of its year and weekday (what
the date parts already explain), ranked, and the holidays' mean rank compared with the
other days' (a Mann-Whitney z). The strongest calendar is kept when its z clears
`MIN_Z`, strict enough for hundreds of calendars tried on data without any effect
(about 6e-7 a calendar, so 2e-4 for all); `recipes` then adds its holiday features to
that column. No calendar is guessed from locale or column names: only the data decides.

Regression and binary targets only (a multiclass target has no order to rank).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .forecasting.holiday_calendar import supported_holiday_countries
from .recipes import holiday_days

#: A calendar's z must reach this (two-sided p about 6e-7) to be used.
MIN_Z = 5.0
#: Holiday rows needed before a calendar is judged at all.
MIN_HOLIDAY_ROWS = 8
#: Days the column must span: a year, so a calendar's holidays each occur.
MIN_SPAN_DAYS = 365
#: Rows ranked at most (a fixed sample beyond): the test is about the calendar, not the rows.
MAX_ROWS = 200_000


@dataclass(frozen=True)
class HolidayFinding:
    """A datetime column whose target moves on one country's public holidays."""

    column: str
    country: str
    z: float  # Mann-Whitney z of the holiday rows against the others (negative: lower)
    holiday_rows: int  # training rows on a holiday
    statistic: str  # what the two levels are: "median" or "share of <class>"
    holiday_level: float  # the statistic on holidays
    weekday_level: float  # ... on the same weekdays when not a holiday

    def describe(self) -> str:
        """One sentence for the job's messages and the exploration notebook."""
        direction = "lower" if self.z < 0 else "higher"
        return (
            f"{self.column}: the target is {direction} on {self.country} public holidays "
            f"({self.statistic} {self.holiday_level:.4g} on {self.holiday_rows} holiday rows, "
            f"{self.weekday_level:.4g} on the same weekdays otherwise; z = {self.z:.1f}), "
            "so the models also get the holidays as features"
        )


def detect_holidays(
    frame: pd.DataFrame,
    y: np.ndarray,
    column_types: dict[str, str],
    task: str,
    seed: int = 0,
    positive_label: str | None = None,
    countries: tuple[str, ...] | None = None,
) -> list[HolidayFinding]:
    """The holiday calendar that sets the target apart, per datetime column of `frame`
    (training rows, coerced as `recipes.coerce_frame` does), if any clears `MIN_Z`.
    `y` is the encoded target (binary: 0/1, 1 for `positive_label`)."""
    if task == "multiclass":
        return []
    target = np.asarray(y, dtype=float)
    if len(target) > MAX_ROWS:
        keep = np.sort(np.random.default_rng(seed).choice(len(target), MAX_ROWS, replace=False))
        frame, target = frame.iloc[keep], target[keep]
    found = []
    for column, kind in column_types.items():
        if kind != "datetime" or column not in frame:
            continue
        statistic = "median" if task == "regression" else f"share of {positive_label}"
        finding = _detect_column(frame[column], target, column, statistic, countries)
        if finding is not None:
            found.append(finding)
    return found


def _detect_column(
    values: pd.Series,
    y: np.ndarray,
    column: str,
    statistic: str,
    countries: tuple[str, ...] | None,
) -> HolidayFinding | None:
    stamps = pd.to_datetime(values, errors="coerce")
    present = stamps.notna().to_numpy() & np.isfinite(y)
    if present.sum() < 4 * MIN_HOLIDAY_ROWS:
        return None
    stamps, target = stamps[present], y[present]
    days = stamps.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    if (days.max() - days.min()).astype(int) < MIN_SPAN_DAYS:
        return None
    weekday = stamps.dt.day_of_week.to_numpy()
    year = stamps.dt.year.to_numpy()
    # What year and weekday already explain is taken out; the rest is ranked once.
    frame = pd.DataFrame({"y": target, "year": year, "weekday": weekday})
    residual = target - frame.groupby(["year", "weekday"])["y"].transform("mean").to_numpy()
    ranks = pd.Series(residual).rank().to_numpy()
    n = len(ranks)
    unique_days, codes = np.unique(days, return_inverse=True)
    first, last = int(year.min()), int(year.max())
    best: tuple[float, str, np.ndarray] | None = None
    for country in countries or supported_holiday_countries():
        on_day = np.isin(unique_days, holiday_days(country, first, last))
        flags = on_day[codes]
        n1 = int(flags.sum())
        if n1 < MIN_HOLIDAY_ROWS or n1 > n // 4:
            continue
        n2 = n - n1
        expected = n1 * (n + 1) / 2.0
        z = (float(ranks[flags].sum()) - expected) / np.sqrt(n1 * n2 * (n + 1) / 12.0)
        # Ties go to the first country in order, so the choice is reproducible.
        if best is None or abs(z) > abs(best[0]):
            best = (z, country, flags)
    if best is None or abs(best[0]) < MIN_Z:
        return None
    z, country, flags = best
    same_weekdays = ~flags & np.isin(weekday, np.unique(weekday[flags]))
    level = np.median if statistic == "median" else np.mean
    return HolidayFinding(
        column=str(column),
        country=country,
        z=round(float(z), 2),
        holiday_rows=int(flags.sum()),
        statistic=statistic,
        holiday_level=float(level(target[flags])),
        weekday_level=float(level(target[same_weekdays])),
    )
