"""Time-series forecasting: the experiment's `forecast` block."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from .common import ApiModel, comma_list

#: Autopilot's default forecast quantiles.
DEFAULT_QUANTILES = ("p10", "p50", "p90")
#: At most this many quantiles (SageMaker's `ForecastQuantiles` takes 1 to 5).
MAX_QUANTILES = 5
#: At most this many backtest windows (as Amazon Forecast and Autopilot allow).
MAX_BACKTEST_WINDOWS = 5
#: At most this many item-id columns (SageMaker's grouping attributes: 5, plus the item id).
MAX_ITEM_ID_COLUMNS = 6

_COLUMN = Field(min_length=1, max_length=512)


class ForecastSpec(ApiModel):
    """What to forecast and how: SageMaker's `TimeSeriesForecastingJobConfig`, in our words."""

    timestamp: str = Field(
        min_length=1, max_length=512, description="Column of dates or times.", examples=["date"]
    )
    item_ids: list[str] = Field(
        default_factory=list,
        max_length=MAX_ITEM_ID_COLUMNS,
        description="Columns that together name a series (item); empty: the file is one series.",
        examples=[["store", "product"]],
    )
    frequency: str | None = Field(
        default=None,
        min_length=1,
        max_length=16,
        description="A pandas frequency (D daily, W-SUN weekly, MS monthly, h hourly, 15min...); "
        "detected from the timestamps when omitted (the preview returns what it detected).",
        examples=["D"],
    )
    horizon: int = Field(ge=1, le=10000, description="Steps to forecast after each series' end.")
    quantiles: list[str] = Field(
        default_factory=lambda: list(DEFAULT_QUANTILES),
        min_length=1,
        max_length=MAX_QUANTILES,
        description="Forecast quantiles as whole percents p1..p99 (SageMaker's "
        "`ForecastQuantiles`); the mean is always forecast too.",
        examples=[list(DEFAULT_QUANTILES)],
    )
    related: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Related (covariate) numeric columns whose future values you will give "
        "when forecasting (prices, promotions, holidays).",
    )
    holiday_country: str | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="A country (ISO 3166-1 alpha-2 code, e.g. US, GB, JP) whose public "
        "holidays are forecasting features (SageMaker's `HolidayConfig`): known for any date, "
        "so no future values are needed. Omitted: no holiday calendar.",
        examples=["US"],
    )
    backtest_windows: int | None = Field(
        default=None,
        ge=1,
        le=MAX_BACKTEST_WINDOWS,
        description="Rolling-origin windows of `horizon` steps at the end of each series on "
        "which every candidate is scored. Omitted: the local engine chooses, up to 3, as many "
        "as every usable item's history and the budget allow (SageMaker Autopilot chooses "
        "its own).",
    )

    @field_validator("quantiles")
    @classmethod
    def _whole_percents(cls, value: list[str]) -> list[str]:
        for q in value:
            digits = q[1:] if q.startswith("p") else ""
            if not digits.isdigit() or digits.startswith("0") or not 1 <= int(digits) <= 99:
                raise ValueError(
                    f"{q!r} is not a quantile SageMaker accepts: use whole percents p1 to p99, "
                    "for example p10, p50, p90"
                )
        if len(set(value)) != len(value):
            raise ValueError("each quantile may appear once")
        return sorted(value, key=lambda q: int(q[1:]))

    @field_validator("holiday_country", mode="before")
    @classmethod
    def _country_code(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        code = value.strip().upper()
        if not code:
            return None
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise ValueError(
                f"{value!r} is not a country code: use two letters (ISO 3166-1 alpha-2), "
                "for example US, GB, DE or JP"
            )
        return code

    @field_validator("frequency")
    @classmethod
    def _known_frequency(cls, value: str | None) -> str | None:
        if value is None:
            return value
        # pandas is imported only for a forecast spec that sets a frequency.
        from pandas.tseries.frequencies import to_offset

        try:
            positive = to_offset(value).n > 0
        except (ValueError, TypeError, OverflowError):
            positive = False
        if not positive:
            raise ValueError(
                f"{value!r} is not a frequency; use a pandas frequency such as D (daily), "
                "W-SUN (weekly), MS (monthly), QS (quarterly), h (hourly) or 15min"
            )
        return value

    @field_validator("item_ids", "related")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if any(not c for c in value):
            raise ValueError("column names cannot be empty")
        return list(dict.fromkeys(value))

    @property
    def quantile_levels(self) -> tuple[float, ...]:
        """The quantiles as fractions (p10 -> 0.1), ascending."""
        return tuple(int(q[1:]) / 100 for q in self.quantiles)


class ForecastInvocationBody(ApiModel):
    """A forecasting endpoint's JSON request: which items, and their future related values."""

    item_ids: list[str] | None = Field(
        default=None,
        max_length=100000,
        description="Items to forecast; omitted: every item (or those of `future`).",
    )
    future: list[dict[str, Any]] | None = Field(
        default=None,
        max_length=1000000,
        description="With related columns: one object per item and forecast step with "
        "`item_id`, `timestamp` and every related column's value.",
    )


class ForecastFutureQuery(ApiModel):
    item_ids: list[str] | None = Field(
        default=None,
        description="Items, comma-separated (default: every item, if their future rows are "
        "at most 100,000).",
    )

    @field_validator("item_ids", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        # `item_ids=` (nothing named) means every item, as leaving it out does.
        return (comma_list(value) or None) if isinstance(value, str) else value


class ForecastFuture(ApiModel):
    """The rows a forecaster's forecast of some items needs, to fill in and send back as
    `future` (what-if): each related column starts at the item's last known value."""

    endpoint: str
    horizon: int = Field(description="Forecast steps per item.")
    related: list[str] = Field(
        description="The related columns whose future values the forecast needs (none: the "
        "rows only say which timestamps it will forecast)."
    )
    future: list[dict[str, Any]] = Field(
        description="One object per item and step: `item_id`, `timestamp` (ISO 8601) and "
        "each related column."
    )
