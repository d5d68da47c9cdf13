"""Forecasting on SageMaker: our `ForecastSpec` as Autopilot V2's
`TimeSeriesForecastingJobConfig`, and back.

What AWS takes comes from botocore's service model (sagemaker 2017-07-24) and the API
reference it is generated from; each rule below cites the member it comes from.
"""

from __future__ import annotations

import re
from typing import Any

from ...exceptions import InvalidRequest
from ...models import (
    DeployRequest,
    ExperimentSpec,
    ForecastSpec,
    ObjectiveMetric,
    ProblemType,
    RunMode,
)
from ...models import TrainingMode as Mode

#: `ForecastHorizon`: "The maximum forecast horizon is the lesser of 500 time-steps or 1/4
#: of the time-steps in the dataset." (the quarter is checked by AWS on the data).
MAX_HORIZON = 500

#: `ForecastFrequency`: "Valid intervals are an integer followed by Y (Year), M (Month),
#: W (Week), D (Day), H (Hour), and min (Minute) [...] The value of a frequency must not
#: overlap with the next larger frequency [...] Minute - 1-59, Hour - 1-23, Day - 1-6,
#: Week - 1-4, Month - 1-11, Year - 1". Unit -> (largest count, the next larger unit and
#: how many of this unit make one of it).
UNITS: dict[str, tuple[int, str | None, int]] = {
    "min": (59, "H", 60),
    "H": (23, "D", 24),
    "D": (6, "W", 7),
    "W": (4, None, 0),
    "M": (11, "Y", 12),
    "Y": (1, None, 0),
}
#: Autopilot's units back to pandas aliases (a month as its start, like the preview's).
PANDAS_UNITS = {"min": "min", "H": "h", "D": "D", "W": "W", "M": "MS", "Y": "YS"}
_AUTOPILOT_FREQUENCY = re.compile(r"^(\d*)(min|H|D|W|M|Y)$")

#: `AutoMLJobObjective.MetricName` for time-series forecasting: "RMSE, wQL, Average wQL,
#: MASE, MAPE, WAPE" (AutoMLMetricEnum names them; per-quantile wQL is not an enum value).
FORECAST_METRICS = (
    ObjectiveMetric.AverageWeightedQuantileLoss,
    ObjectiveMetric.WAPE,
    ObjectiveMetric.RMSE,
    ObjectiveMetric.MASE,
    ObjectiveMetric.MAPE,
)


def _refuse_frequency(frequency: str, why: str) -> InvalidRequest:
    return InvalidRequest(
        f"SageMaker Autopilot cannot forecast at the frequency {frequency!r}: {why}. It takes "
        "minutes (1-59 min), hours (1-23 h), days (1-6 D), weeks (1-4 W), months (1-11 MS, "
        "quarters QS) or one year (YS); resample the data to one of them, or run on the local "
        "backend.",
        details=[{"field": "forecast.frequency"}],
    )


def autopilot_frequency(frequency: str) -> str:
    """The `ForecastFrequency` for a pandas frequency (`D` -> `1D`, `15min` -> `15min`,
    `QS` -> `3M`, `24h` -> `1D`); a 400 naming `forecast.frequency` for the rest.

    Counts that reach the next unit are carried into it (7D is 1W, 12MS is 1Y), because
    AWS refuses a frequency that "overlaps with the next larger frequency". Weekly,
    monthly and yearly anchors (W-MON, ME vs MS) have no counterpart in the API: Autopilot
    places the steps itself.
    """
    from pandas.tseries import offsets
    from pandas.tseries.frequencies import to_offset

    try:
        offset = to_offset(frequency)
    except (ValueError, TypeError):
        raise _refuse_frequency(frequency, "it is not a pandas frequency") from None
    # Exact classes: business-day and semi-month offsets subclass nothing of these, but
    # check the type itself so that no subclass slips through with another meaning.
    kinds: dict[type, tuple[str, int]] = {
        offsets.Minute: ("min", 1),
        offsets.Hour: ("H", 1),
        offsets.Day: ("D", 1),
        offsets.Week: ("W", 1),
        offsets.MonthBegin: ("M", 1),
        offsets.MonthEnd: ("M", 1),
        offsets.QuarterBegin: ("M", 3),
        offsets.QuarterEnd: ("M", 3),
        offsets.YearBegin: ("Y", 1),
        offsets.YearEnd: ("Y", 1),
    }
    kind = kinds.get(type(offset))
    if kind is None:
        raise _refuse_frequency(
            frequency, f"{type(offset).__name__} steps are not one of its units"
        )
    unit, factor = kind
    count = offset.n * factor
    if count < 1:
        raise _refuse_frequency(frequency, "the step must be positive")
    # Carry into the next unit while the count is a whole number of it (60min -> 1H).
    while (bigger := UNITS[unit][1]) is not None and count % UNITS[unit][2] == 0:
        unit, count = bigger, count // UNITS[unit][2]
    largest = UNITS[unit][0]
    if count > largest:
        raise _refuse_frequency(
            frequency, f"it is {count} {unit} steps, and at most {largest} are allowed"
        )
    return f"{count}{unit}"


def pandas_frequency(forecast_frequency: str) -> str | None:
    """A pandas alias for an Autopilot `ForecastFrequency` (`1D` -> `D`, `3M` -> `3MS`),
    for jobs this server did not create; None when it is not one."""
    found = _AUTOPILOT_FREQUENCY.match(forecast_frequency or "")
    if not found:
        return None
    count = int(found.group(1) or 1)
    alias = PANDAS_UNITS[found.group(2)]
    return alias if count == 1 else f"{count}{alias}"


def check_forecast_spec(spec: ExperimentSpec) -> None:
    """Refuse, with the field to change, what Autopilot's forecasting jobs cannot take."""
    forecast = spec.forecast
    assert forecast is not None
    if not forecast.item_ids:
        # TimeSeriesConfig.ItemIdentifierAttributeName is required: we synthesise nothing
        # (a column written into the user's file would be a column they never had).
        raise InvalidRequest(
            "SageMaker Autopilot needs an item-id column even when the file holds one series "
            "(TimeSeriesConfig.ItemIdentifierAttributeName is required). Add a column with "
            "the same value on every row (for example item_id = 1), upload the file again "
            "and choose that column in forecast.item_ids; or run on the local backend, "
            "which takes a file without one.",
            details=[{"field": "forecast.item_ids"}],
        )
    if forecast.frequency is None:
        # ForecastFrequency is required; the backend detects it on the head of the input
        # first (experiments.py), so this is a file where that found none.
        raise InvalidRequest(
            "SageMaker Autopilot needs the forecast frequency (ForecastFrequency is "
            "required) and none could be detected from the start of the file: set "
            "forecast.frequency (D daily, W weekly, MS monthly, h hourly, 15min...).",
            details=[{"field": "forecast.frequency"}],
        )
    autopilot_frequency(forecast.frequency)
    if forecast.horizon > MAX_HORIZON:
        raise InvalidRequest(
            f"SageMaker Autopilot forecasts at most {MAX_HORIZON} steps (and at most a "
            f"quarter of the steps in the data); the horizon is {forecast.horizon}. Choose a "
            "shorter horizon or a coarser frequency.",
            details=[{"field": "forecast.horizon"}],
        )
    if forecast.backtest_windows not in (None, 1):
        raise InvalidRequest(
            "SageMaker Autopilot chooses its own backtest windows (TimeSeriesForecastingJob"
            "Config has no setting for them); leave forecast.backtest_windows unset, or run "
            "on the local backend to choose them.",
            details=[{"field": "forecast.backtest_windows"}],
        )
    if spec.mode is RunMode.pilot:
        raise InvalidRequest(
            "A pilot run (candidate definitions only) exists for tabular problems; a "
            "forecasting job always trains its models. Choose a complete run.",
            details=[{"field": "mode"}],
        )
    if spec.training_mode is not Mode.auto:
        raise InvalidRequest(
            "SageMaker's forecasting jobs have no training mode (ensembling and "
            "hyperparameter tuning are tabular settings): leave training mode auto.",
            details=[{"field": "training_mode"}],
        )
    if spec.max_candidates not in (None, 1):
        # AutoMLJobCompletionCriteria.MaxCandidates: "For [...] time-series forecasting
        # [...] the supported value is 1."
        raise InvalidRequest(
            "SageMaker Autopilot's forecasting job trains its own set of algorithms (CNN-QR, "
            "DeepAR+, Prophet, NPTS, ARIMA, ETS) and their ensemble; MaxCandidates takes only "
            "1 there. Leave max candidates empty, and bound the job by its runtime.",
            details=[{"field": "max_candidates"}],
        )
    if spec.input_uri.lower().endswith(".gz") or spec.manifest:
        # AutoMLJobChannel.CompressionType: "Gzip for S3Prefix inputs on tabular data only";
        # a manifest lists files for tabular jobs.
        raise InvalidRequest(
            "SageMaker Autopilot reads forecasting data uncompressed from an S3 object or "
            "prefix (gzip and manifests are for tabular data only); upload the plain CSV or "
            "Parquet file.",
            details=[{"field": "input_uri"}],
        )


def forecast_metric(spec: ExperimentSpec) -> ObjectiveMetric:
    """The objective to send: the spec's (one of Autopilot's forecasting metrics) or
    Autopilot's default, AverageWeightedQuantileLoss."""
    metric = spec.objective_metric or ObjectiveMetric.AverageWeightedQuantileLoss
    if metric not in FORECAST_METRICS:
        names = ", ".join(m.value for m in FORECAST_METRICS)
        raise InvalidRequest(
            f"SageMaker Autopilot's forecasting jobs optimise {names}; not {metric.value}.",
            details=[{"field": "objective_metric"}],
        )
    return metric


def undeclared_columns(spec: ExperimentSpec, header: list[str]) -> list[str]:
    """Columns of the file that the forecast block gives no role (excluded ones too: AWS
    reads them unless a feature specification leaves them out)."""
    forecast = spec.forecast
    assert forecast is not None
    declared = {spec.target, forecast.timestamp, *forecast.item_ids, *forecast.related}
    return [c for c in header if c not in declared]


def check_forecast_columns(spec: ExperimentSpec, header: list[str]) -> list[str]:
    """Check the forecast block's columns against the file's header; the related columns
    to name in the feature specification (empty: no specification needed).

    `FeatureSpecificationS3Uri`: "When not provided, the AutoML job V2 includes all the
    columns from the original dataset that are not already declared in TimeSeriesConfig.
    If provided, the AutoML job V2 only considers these additional columns" - so related
    columns are sent as `FeatureAttributeNames`, and a file with other columns but no
    related ones is refused (an empty list of features is not a documented value).
    """
    forecast = spec.forecast
    assert forecast is not None
    roles = {
        "timestamp": [forecast.timestamp],
        "item_ids": forecast.item_ids,
        "related": forecast.related,
    }
    for role, columns in roles.items():
        missing = [c for c in columns if c not in header]
        if missing:
            shown = ", ".join(repr(c) for c in missing)
            raise InvalidRequest(
                f"forecast.{role} names {shown}, which is not a column of {spec.input_uri}. "
                f"Columns: {', '.join(header[:30])}{' ...' if len(header) > 30 else ''}",
                details=[{"field": f"forecast.{role}"}],
            )
    others = undeclared_columns(spec, header)
    if others and not forecast.related:
        shown = ", ".join(repr(c) for c in others[:10])
        raise InvalidRequest(
            f"SageMaker Autopilot would use every other column of the file as a related "
            f"series ({shown}), and it cannot be told to use none. List them in "
            "forecast.related (their future values are then needed to forecast), or leave "
            "them out of the uploaded file (excluding them is not enough without related "
            "columns to name instead).",
            details=[{"field": "forecast.related"}],
        )
    return list(forecast.related) if others else []


def job_config(spec: ExperimentSpec, feature_spec_uri: str | None = None) -> dict[str, Any]:
    """`AutoMLProblemTypeConfig.TimeSeriesForecastingJobConfig` for `spec` (checked by
    `check_forecast_spec` first). `HolidayConfig` names the spec's holiday country (one
    calendar, as the API allows); Transformations are left out: the spec has no filling
    methods, so Autopilot's defaults apply."""
    forecast = spec.forecast
    assert forecast is not None and forecast.frequency is not None
    series: dict[str, Any] = {
        "TargetAttributeName": spec.target,
        "TimestampAttributeName": forecast.timestamp,
        "ItemIdentifierAttributeName": forecast.item_ids[0],
    }
    if len(forecast.item_ids) > 1:
        series["GroupingAttributeNames"] = list(forecast.item_ids[1:])
    config: dict[str, Any] = {
        "ForecastFrequency": autopilot_frequency(forecast.frequency),
        "ForecastHorizon": forecast.horizon,
        "ForecastQuantiles": list(forecast.quantiles),
        "TimeSeriesConfig": series,
    }
    criteria: dict[str, int] = {}
    if spec.max_candidates is not None:
        criteria["MaxCandidates"] = spec.max_candidates
    if spec.max_trial_runtime_seconds is not None:
        criteria["MaxRuntimePerTrainingJobInSeconds"] = spec.max_trial_runtime_seconds
    if spec.max_job_runtime_seconds is not None:
        criteria["MaxAutoMLJobRuntimeInSeconds"] = spec.max_job_runtime_seconds
    if criteria:
        config["CompletionCriteria"] = criteria
    if feature_spec_uri:
        config["FeatureSpecificationS3Uri"] = feature_spec_uri
    if forecast.holiday_country:
        config["HolidayConfig"] = [{"CountryCode": forecast.holiday_country}]
    return config


def forecast_from(config: dict[str, Any]) -> ForecastSpec | None:
    """Our forecast block for a `TimeSeriesForecastingJobConfig` (jobs created elsewhere)."""
    series = config.get("TimeSeriesConfig") or {}
    if not series.get("TimestampAttributeName"):
        return None
    items = [
        series.get("ItemIdentifierAttributeName"),
        *(series.get("GroupingAttributeNames") or []),
    ]
    return ForecastSpec.model_construct(
        timestamp=series["TimestampAttributeName"],
        item_ids=[c for c in items if c],
        frequency=pandas_frequency(config.get("ForecastFrequency", "")),
        horizon=int(config.get("ForecastHorizon") or 1),
        quantiles=list(config.get("ForecastQuantiles") or ["p10", "p50", "p90"]),
        related=[],
        backtest_windows=None,  # Autopilot's own choice
        holiday_country=next(
            (h.get("CountryCode") for h in config.get("HolidayConfig") or [] if h), None
        ),
    )


def check_deploy_request(request: DeployRequest) -> None:
    """Refuse, before anything is created, what a forecaster's endpoint cannot do: it
    answers its quantiles and mean (no response keys to choose), and SageMaker Clarify's
    online explainability is for tabular models."""
    if request.explanations:
        raise InvalidRequest(
            "SageMaker Clarify explains tabular predictions; a forecaster's endpoint has no "
            "explainer. Deploy it without explanations (its explainability report is in the "
            "experiment's artifacts).",
            details=[{"field": "explanations"}],
        )
    if request.inference_response_keys:
        raise InvalidRequest(
            "A forecaster answers each step's quantiles and mean; response keys are for "
            "tabular models. Leave inference_response_keys empty.",
            details=[{"field": "inference_response_keys"}],
        )


def is_forecasting_job(desc: dict[str, Any] | None) -> bool:
    """The described AutoML job V2 (`DescribeAutoMLJobV2`) is a TimeSeriesForecasting job."""
    return "TimeSeriesForecastingJobConfig" in ((desc or {}).get("AutoMLProblemTypeConfig") or {})


def is_forecasting(spec: ExperimentSpec) -> bool:
    """The spec is a TimeSeriesForecasting experiment (it has a forecast block)."""
    return spec.problem_type is ProblemType.time_series_forecasting
