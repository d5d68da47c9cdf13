"""Preprocessing recipes: typed input columns -> a scikit-learn ColumnTransformer.

This module depends only on numpy, pandas and scikit-learn on purpose: the candidate
definitions notebook embeds its source verbatim, so the notebook rebuilds every
candidate with exactly the code the engine used, and runs without jupyter-autopilot.

A recipe is a plain dict (JSON-serialisable, printable in a notebook):

    {"name": "trees", "numeric": [...], "skewed": [...], "categorical": [...],
     "high_cardinality": [...], "text": [...], "datetime": [...],
     "numeric_transform": "none" | "standard" | "quantile",
     "categorical_encoding": "ordinal" | "onehot",
     "high_cardinality_encoding": "ordinal" | "target",
     "impute": bool, "text_max_features": int, "dense": bool, "seed": int,
     "min_frequency": int | float (optional), "max_categories": int (optional),
     "holidays": {datetime column: country code} (optional)}

A datetime column listed under "holidays" also gets its country's public holidays as
features (from the `holidays` package, imported only then): whether the day is one, and
the days to the next and since the last (so the days around them, such as the Friday
after Thanksgiving, can differ too).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    OrdinalEncoder,
    QuantileTransformer,
    StandardScaler,
    TargetEncoder,
)

#: Column types that never become features.
DROPPED_TYPES = ("id", "constant")
DATETIME_PARTS = ("year", "month", "day", "dayofweek", "hour", "days")
HOLIDAY_PARTS = ("holiday", "days_to_holiday", "days_since_holiday")
#: Distances to a holiday are capped: a month before Christmas is as far as a year.
HOLIDAY_HORIZON = 14


def coerce_frame(frame: pd.DataFrame, column_types: dict[str, str]) -> pd.DataFrame:
    """Return the feature columns of `frame` in training order with the dtypes recipes expect.

    Numbers become float (unparseable values -> NaN), labels and text become Python
    strings (NaN for missing), datetimes become datetime64 (unparseable -> NaT).
    Columns not listed in `column_types` are ignored.
    """
    out: dict[str, Any] = {}
    for column, kind in column_types.items():
        if kind in DROPPED_TYPES:
            continue
        values = frame[column]
        if kind == "numeric":
            if values.dtype == bool:
                values = values.astype(float)
            out[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif kind == "datetime":
            if not pd.api.types.is_datetime64_any_dtype(values):
                values = pd.to_datetime(values, errors="coerce", format="mixed")
            if getattr(values.dt, "tz", None) is not None:
                values = values.dt.tz_convert("UTC").dt.tz_localize(None)
            out[column] = values.astype("datetime64[ns]")
        else:
            out[column] = label_values(values)
    return pd.DataFrame(out, index=frame.index)


def label_text(value):
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def label_values(values: pd.Series) -> np.ndarray:
    """Category or text values as stripped strings, NaN for missing. Integral numbers print
    without '.0', so 1, 1.0 and "1" are the same category whether a column was read from a
    CSV (where a gap turns integers into floats) or arrives in a JSON request."""
    mask = values.isna().to_numpy()
    if values.dtype.kind == "f":
        finite = values.to_numpy(dtype=float, na_value=0.0)
        if np.all(np.mod(finite, 1) == 0):
            text = values.fillna(0).astype("int64").astype(str)
        else:
            text = values.astype(str)
    elif values.dtype.kind in "iub":
        text = values.astype(str)
    elif _all_text(values):
        # Text (as CSV readers give it): strip each distinct value once, not every cell.
        codes, uniques = pd.factorize(values)
        stripped = np.array([str(u).strip() for u in uniques] + [np.nan], dtype=object)
        return stripped.take(codes)  # code -1 (missing) takes the trailing NaN
    else:
        text = values.map(label_text, na_action="ignore")
    out = text.astype(str).str.strip().to_numpy(dtype=object, copy=True)
    out[mask] = np.nan
    return out


def _all_text(values: pd.Series) -> bool:
    """Whether every present value is a str (one pass in C)."""
    if isinstance(values.dtype, pd.StringDtype):
        return True
    return values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in (
        "string",
        "empty",
    )


def label_strings(values: pd.Series) -> pd.Series:
    """Class labels as strings; integral floats print without '.0' (1.0 -> '1')."""
    if pd.api.types.is_float_dtype(values) and np.all(np.mod(values.dropna(), 1) == 0):
        return values.astype("Int64").astype(str).astype(object)
    return values.astype(str).str.strip().astype(object)


def encode_target(target: pd.Series, labels: list[str] | None) -> np.ndarray:
    """The target as models see it: class index in `labels` order, or float for regression."""
    if labels is None:
        return pd.to_numeric(target, errors="coerce").to_numpy(dtype=float)
    index = {label: i for i, label in enumerate(labels)}
    return label_strings(target).map(index).to_numpy(dtype=int)


def read_weights(values: pd.Series) -> np.ndarray:
    """Row weights from a sample weight column: floats, NaN where the value is missing, not
    a number or not finite (Autopilot leaves such rows out of training and scoring)."""
    weights = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)
    weights[~np.isfinite(weights)] = np.nan
    return weights


def split_rows(y: np.ndarray, task: str, validation_fraction: float, seed: int):
    """Train and validation row positions: stratified by class, or by target decile for
    regression, so both parts look alike."""
    from sklearn.model_selection import train_test_split

    positions = np.arange(len(y))
    if task == "regression":
        bins = min(10, max(2, len(y) // 20))
        strata = pd.qcut(pd.Series(y).rank(method="first"), q=bins, labels=False).to_numpy()
    else:
        strata = y
    train, valid = train_test_split(
        positions, test_size=validation_fraction, random_state=seed, stratify=strata
    )
    return np.sort(train), np.sort(valid)


def sample_rows(y: np.ndarray, task: str, n_rows: int, seed: int) -> np.ndarray:
    """A fixed sample of `n_rows` row positions (sorted), stratified like `split_rows`: what
    the search trains on when the training split is large (`engine.sampling`)."""
    from sklearn.model_selection import train_test_split

    positions = np.arange(len(y))
    if n_rows >= len(y):
        return positions
    if task == "regression":
        bins = min(10, max(2, len(y) // 20))
        strata = pd.qcut(pd.Series(y).rank(method="first"), q=bins, labels=False).to_numpy()
    else:
        strata = y
    try:
        sample, _ = train_test_split(
            positions, train_size=n_rows, random_state=seed, stratify=strata
        )
    except ValueError:  # a class too rare to stratify on: a plain random sample
        sample, _ = train_test_split(positions, train_size=n_rows, random_state=seed)
    return np.sort(sample)


def fold_ids(y: np.ndarray, task: str, folds: int, seed: int) -> np.ndarray:
    """The fold (0..folds-1) of every row for k-fold bagging: stratified by class, or by
    target decile for regression, like `split_rows`."""
    import warnings

    from sklearn.model_selection import StratifiedKFold

    if task == "regression":
        bins = min(10, max(2, len(y) // 20))
        strata = pd.qcut(pd.Series(y).rank(method="first"), q=bins, labels=False).to_numpy()
    else:
        strata = y
    out = np.zeros(len(y), dtype=int)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a class with fewer rows than folds: still split
        for k, (_, rows) in enumerate(splitter.split(np.zeros(len(y)), strata)):
            out[rows] = k
    return out


def signed_log1p(x):
    """log(1 + |x|) with the sign of x: tames long tails, keeps zeros and negatives."""
    x = np.asarray(x, dtype=float)
    return np.sign(x) * np.log1p(np.abs(x))


def fill_text(x):
    """Text column -> 1-D array of strings, missing as empty text (what TF-IDF needs)."""
    series = pd.Series(np.asarray(x, dtype=object).ravel())
    return series.fillna("").astype(str).to_numpy()


@lru_cache(maxsize=1024)
def holiday_days(country: str, first_year: int, last_year: int) -> np.ndarray:
    """The public holidays of `country` (ISO 3166 alpha-2) in these years, as sorted days.

    `forecasting.holiday_calendar` has its own copy: each notebook embeds its family's
    modules alone, so neither can import the other's."""
    import holidays

    calendar = holidays.country_holidays(country, years=range(first_year, last_year + 1))
    return np.array(sorted(np.datetime64(day, "D") for day in calendar), dtype="datetime64[D]")


def holiday_parts(values: pd.Series, country: str) -> list[np.ndarray]:
    """Whether each day is a public holiday of `country`, the days to the next one and
    the days since the last (capped at HOLIDAY_HORIZON); NaN where the date is missing."""
    days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    missing = np.isnat(days)
    if missing.all():
        return [np.full(len(days), np.nan) for _ in HOLIDAY_PARTS]
    years = values.dt.year.dropna()
    # One year either side, so the nearest holiday across New Year is found.
    calendar = holiday_days(country, int(years.min()) - 1, int(years.max()) + 1)
    if len(calendar) == 0:
        flags = np.where(missing, np.nan, 0.0)
        far = np.where(missing, np.nan, float(HOLIDAY_HORIZON))
        return [flags, far, far.copy()]
    filled = np.where(missing, days[~missing][0], days)
    after = np.searchsorted(calendar, filled, side="left")  # first holiday on or after
    nxt = calendar[np.minimum(after, len(calendar) - 1)]
    prev = calendar[np.maximum(np.searchsorted(calendar, filled, side="right") - 1, 0)]
    horizon = float(HOLIDAY_HORIZON)
    to_next = np.where(after < len(calendar), (nxt - filled).astype(float), horizon)
    since = (filled - prev).astype(float)
    since[filled < calendar[0]] = horizon
    out = [
        (to_next == 0).astype(float),
        np.minimum(to_next, horizon),
        np.minimum(since, horizon),
    ]
    for part in out:
        part[missing] = np.nan
    return out


def expand_datetimes(frame, holidays=None):
    """Datetime columns -> year, month, day, weekday, hour and days since 1970 (NaN if
    missing), then for a column with a holiday country (`holidays`, one entry per column,
    None for none) its `HOLIDAY_PARTS`."""
    frame = pd.DataFrame(frame)
    countries = list(holidays) if holidays is not None else [None] * frame.shape[1]
    parts = []
    for column, country in zip(frame.columns, countries, strict=True):
        values = pd.to_datetime(frame[column], errors="coerce")
        parts.extend(
            [
                values.dt.year,
                values.dt.month,
                values.dt.day,
                values.dt.day_of_week,
                values.dt.hour,
                (values - pd.Timestamp("1970-01-01")).dt.total_seconds() / 86400.0,
            ]
        )
        if country:
            parts.extend(holiday_parts(values, country))
    return (
        np.column_stack([np.asarray(p, dtype=float) for p in parts])
        if parts
        else np.empty((len(frame), 0))
    )


def datetime_feature_names(transformer, input_features):
    """Names for `expand_datetimes` outputs, for feature importance."""
    kw_args = getattr(transformer, "kw_args", None) or {}
    countries = kw_args.get("holidays") or [None] * len(input_features)
    names: list[str] = []
    for column, country in zip(input_features, countries, strict=True):
        parts = DATETIME_PARTS + (HOLIDAY_PARTS if country else ())
        names.extend(f"{column}__{part}" for part in parts)
    return np.array(names, dtype=object)


def _numeric_steps(recipe: dict, log: bool) -> list:
    steps: list = []
    if log:
        steps.append(FunctionTransformer(signed_log1p, feature_names_out="one-to-one"))
    if recipe.get("impute", False):
        steps.append(SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True))
    transform = recipe.get("numeric_transform", "none")
    if transform == "standard":
        steps.append(StandardScaler())
    elif transform == "quantile":
        steps.append(
            QuantileTransformer(
                n_quantiles=200, output_distribution="normal", random_state=recipe.get("seed", 0)
            )
        )
    return steps


def _target_encoder(target_type: str, seed: int) -> TargetEncoder:
    """A target encoder whose cross-fitting folds are shuffled with `seed`."""
    import sklearn
    from sklearn.model_selection import KFold, StratifiedKFold

    if tuple(int(p) for p in sklearn.__version__.split(".")[:2]) < (1, 9):
        return TargetEncoder(target_type=target_type, random_state=seed)
    folds = KFold if target_type == "continuous" else StratifiedKFold
    return TargetEncoder(target_type=target_type, cv=folds(5, shuffle=True, random_state=seed))


def _pipeline_or_passthrough(steps: list):
    return make_pipeline(*steps) if steps else "passthrough"


def build_preprocessor(recipe: dict) -> ColumnTransformer:
    """An unfitted ColumnTransformer implementing `recipe`."""
    seed = recipe.get("seed", 0)
    transformers: list[tuple[str, Any, Any]] = []
    skewed = (
        set(recipe.get("skewed", []))
        if recipe.get("numeric_transform", "none") != "none"
        else set()
    )
    plain = [c for c in recipe.get("numeric", []) if c not in skewed]
    logged = [c for c in recipe.get("numeric", []) if c in skewed]
    if plain:
        transformers.append(("num", _pipeline_or_passthrough(_numeric_steps(recipe, False)), plain))
    if logged:
        transformers.append(("log", _pipeline_or_passthrough(_numeric_steps(recipe, True)), logged))
    categorical = recipe.get("categorical", [])
    if categorical:
        if recipe.get("categorical_encoding") == "onehot":
            encoder: Any = OneHotEncoder(
                handle_unknown="infrequent_if_exist",
                min_frequency=recipe.get("min_frequency", 5),
                max_categories=recipe.get("max_categories"),
                sparse_output=not recipe.get("dense", True),
            )
        else:
            encoder = OrdinalEncoder(
                handle_unknown="use_encoded_value",
                unknown_value=np.nan,
                encoded_missing_value=np.nan,
            )
        transformers.append(("cat", encoder, categorical))
    high = recipe.get("high_cardinality", [])
    if high:
        if recipe.get("high_cardinality_encoding") == "target":
            # TargetEncoder cross-fits on the training data, so no row sees its own target.
            high_encoder: Any = make_pipeline(
                SimpleImputer(strategy="constant", fill_value="__missing__"),
                _target_encoder(recipe.get("target_type", "auto"), seed),
            )
        else:
            high_encoder = OrdinalEncoder(
                handle_unknown="use_encoded_value",
                unknown_value=np.nan,
                encoded_missing_value=np.nan,
            )
        transformers.append(("high", high_encoder, high))
    for i, column in enumerate(recipe.get("text", [])):
        tfidf = TfidfVectorizer(
            max_features=recipe.get("text_max_features", 300),
            min_df=2,
            sublinear_tf=True,
            dtype=np.float32,
        )
        transformers.append(
            (f"text{i}", make_pipeline(FunctionTransformer(fill_text), tfidf), [column])
        )
    dates = recipe.get("datetime", [])
    if dates:
        countries = recipe.get("holidays") or {}
        expand = FunctionTransformer(
            expand_datetimes,
            feature_names_out=datetime_feature_names,
            # Only when a column has a calendar: models saved before hold no kw_args.
            kw_args={"holidays": [countries.get(c) for c in dates]} if countries else None,
        )
        steps: list = [expand]
        if recipe.get("impute", False):
            steps.append(SimpleImputer(strategy="median", keep_empty_features=True))
        if recipe.get("numeric_transform", "none") != "none":
            steps.append(StandardScaler())
        transformers.append(("date", make_pipeline(*steps), dates))
    return ColumnTransformer(
        transformers,
        remainder="drop",
        sparse_threshold=0.0 if recipe.get("dense", True) else 0.3,
        verbose_feature_names_out=True,
    )


def holiday_countries(preprocessor: ColumnTransformer) -> list[str]:
    """The countries whose public holidays a fitted `build_preprocessor` gives its date
    columns (unpickling it then needs the `holidays` package); empty when none."""
    found: set[str] = set()
    for _, transformer, _ in getattr(preprocessor, "transformers_", []):
        for _, step in getattr(transformer, "steps", []):
            found.update(
                c for c in (getattr(step, "kw_args", None) or {}).get("holidays") or [] if c
            )
    return sorted(found)


def feature_source_columns(preprocessor: ColumnTransformer) -> list[str]:
    """For each output feature of a fitted preprocessor, the input column it came from."""
    width = max((sl.stop for sl in preprocessor.output_indices_.values()), default=0)
    sources = [""] * width
    for name, transformer, columns in preprocessor.transformers_:
        out = preprocessor.output_indices_.get(name)
        if out is None or out.stop == out.start or transformer == "drop":
            continue
        columns = list(columns)
        if len(columns) == 1:
            sources[out] = columns * (out.stop - out.start)
            continue
        names = [str(f) for f in transformer.get_feature_names_out(columns)]
        by_length = sorted(columns, key=len, reverse=True)
        for i, feature in zip(range(out.start, out.stop), names, strict=True):
            feature = feature.removeprefix("missingindicator_")
            sources[i] = next((c for c in by_length if feature.startswith(c)), feature)
    return sources
