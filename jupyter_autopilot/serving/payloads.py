"""Parsing invocation bodies into frames and formatting predictions (pure functions).

Shared by the endpoint process and by batch predictions, and fast enough for the
single-row path: no per-row Python loops, one pandas parse per request.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..engine.inputs import describe_value
from ..exceptions import InvalidRequest, UnsupportedMediaType
from ..models import InferenceKey

CSV = "text/csv"
JSON = "application/json"
#: What Autopilot's containers return when nothing else is asked for.
DEFAULT_KEYS = (InferenceKey.predicted_label, InferenceKey.probability)
#: Bodies up to this size are parsed with the csv module (fixed cost matters), larger
#: ones with pandas' C parser (throughput matters).
SMALL_BODY_CHARS = 16 * 1024
NA_TOKENS = {"", "NA", "NaN", "nan", "null", "NULL", "None"}
#: Python's csv module refuses fields over 131,072 characters, a default of its own.
#: SageMaker bounds only the whole payload (6 MB, our handler's limit too), so a field may
#: be as long as a body the model server accepts.
MAX_FIELD_CHARS = 64 * 1024 * 1024


def _allow_long_fields() -> None:
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)


def _first_row(text: str, delimiter: str) -> list[str]:
    line = text.split("\n", 1)[0].rstrip("\r")
    return next(csv.reader([line], delimiter=delimiter), [])


def sniff_delimiter(text: str) -> str:
    """`,` unless the first line clearly uses `;`, tab or `|` (the tutorial file uses `;`)."""
    line = text.split("\n", 1)[0]
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def frame_from_csv(body: bytes, feature_columns: Sequence[str]) -> pd.DataFrame:
    """CSV rows with or without a header line.

    With a header (detected when it names every feature column) columns may come in
    any order and extra columns (such as the target) are ignored. Without one, rows must
    hold exactly the feature columns in training order.
    """
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidRequest("The CSV body is not UTF-8 text.") from None
    if not text.strip():
        raise InvalidRequest("The request body is empty: send at least one CSV row.")
    _allow_long_fields()
    try:
        return _frame_from_text(text, feature_columns)
    except csv.Error as error:
        raise InvalidRequest(f"The CSV body could not be parsed: {error}") from None


def _frame_from_text(text: str, feature_columns: Sequence[str]) -> pd.DataFrame:
    delimiter = sniff_delimiter(text)
    first = [cell.strip() for cell in _first_row(text, delimiter)]
    has_header = set(feature_columns) <= set(first)
    named = sum(cell in set(feature_columns) for cell in first)
    if not has_header and first and named >= max(1, len(first) // 2):
        # Mostly column names: a header that misses some columns, not a data row.
        missing = [c for c in feature_columns if c not in first]
        raise InvalidRequest(
            "The CSV header lacks feature column(s) the model needs: "
            + ", ".join(missing)
            + ". Send every feature column (extra columns such as the target are ignored)."
        )
    if len(text) <= SMALL_BODY_CHARS:
        return _small_frame(text, delimiter, has_header, feature_columns)
    options: dict[str, Any] = {
        "sep": delimiter,
        "dtype": str,
        "keep_default_na": False,
        "na_values": sorted(NA_TOKENS),
        "skipinitialspace": True,
    }
    try:
        if has_header:
            frame = pd.read_csv(io.StringIO(text), **options)
            frame.columns = [str(c).strip() for c in frame.columns]
            return frame
        frame = pd.read_csv(io.StringIO(text), header=None, **options)
    except pd.errors.ParserError as error:
        raise InvalidRequest(f"The CSV body could not be parsed: {error}") from None
    if frame.shape[1] != len(feature_columns):
        raise InvalidRequest(
            f"Each CSV row needs {len(feature_columns)} values (the feature columns in training "
            f"order: {', '.join(feature_columns)}), but the rows have {frame.shape[1]}. "
            "Leave the target column out, or send a header line naming the columns."
        )
    frame.columns = list(feature_columns)
    return frame


def _small_frame(
    text: str, delimiter: str, has_header: bool, feature_columns: Sequence[str]
) -> pd.DataFrame:
    """The few-rows path: the csv module beats pandas' parser setup cost (~1 ms)."""
    rows = [
        [None if cell.strip() in NA_TOKENS else cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        if row
    ]
    if has_header:
        header, rows = [str(c) for c in rows[0]], rows[1:]
        widths = {len(row) for row in rows}
        if rows and widths != {len(header)}:
            raise InvalidRequest(
                f"Every CSV row must have {len(header)} values like the header; got {sorted(widths)}."
            )
        return pd.DataFrame(rows, columns=header, dtype=object)
    widths = {len(row) for row in rows}
    if widths != {len(feature_columns)}:
        raise InvalidRequest(
            f"Each CSV row needs {len(feature_columns)} values (the feature columns in training "
            f"order: {', '.join(feature_columns)}), but the rows have "
            f"{', '.join(str(w) for w in sorted(widths))}. "
            "Leave the target column out, or send a header line naming the columns."
        )
    return pd.DataFrame(rows, columns=list(feature_columns), dtype=object)


def frame_from_json(body: bytes, feature_columns: Sequence[str]) -> pd.DataFrame:
    """`{"instances": [...]}` (or a bare list) of records or of value lists in training order."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidRequest(f"The JSON body could not be parsed: {error}") from None
    instances = data.get("instances") if isinstance(data, dict) else data
    if not isinstance(instances, list) or not instances:
        raise InvalidRequest(
            'Send JSON like {"instances": [{"column": value, ...}]} with at least one row.'
        )
    if all(isinstance(row, dict) for row in instances):
        frame = pd.DataFrame.from_records(instances)
    elif all(isinstance(row, list) for row in instances):
        widths = {len(row) for row in instances}
        if widths != {len(feature_columns)}:
            raise InvalidRequest(
                f"Each row list needs {len(feature_columns)} values in training order "
                f"({', '.join(feature_columns)}); got rows of {sorted(widths)} values."
            )
        frame = pd.DataFrame(instances, columns=list(feature_columns))
    else:
        raise InvalidRequest(
            "Every instance must be an object (column: value) or a list of values."
        )
    _refuse_nested(frame, feature_columns)
    return frame


def _refuse_nested(frame: pd.DataFrame, feature_columns: Sequence[str]) -> None:
    """A cell is one value: a JSON object or list in a feature column is a mistake."""
    for column in feature_columns:
        if column not in frame or frame[column].dtype != object:
            continue
        nested = frame[column].map(lambda v: isinstance(v, (dict, list))).to_numpy()
        if nested.any():
            row = int(nested.argmax())
            raise InvalidRequest(
                f"Column {column!r}, row {row + 1}: {describe_value(frame[column].iat[row])} "
                "is not a single value; send a number or a text."
            )


def parse_body(body: bytes, content_type: str, feature_columns: Sequence[str]) -> pd.DataFrame:
    if content_type == CSV:
        return frame_from_csv(body, feature_columns)
    if content_type == JSON:
        return frame_from_json(body, feature_columns)
    raise UnsupportedMediaType(
        f"Content-Type {content_type!r} is not supported; send text/csv or application/json."
    )


def prediction_columns(
    labels: np.ndarray | Sequence[Any],
    proba: np.ndarray | None,
    class_labels: Sequence[str] | None,
    keys: Sequence[InferenceKey],
) -> dict[InferenceKey, list[Any]]:
    """Per-key columns of output values, following Autopilot's inference keys:
    binary `probability` is that of the second (positive) class, multiclass the winner's."""
    n = len(labels)
    out: dict[InferenceKey, list[Any]] = {}
    for key in keys:
        if key is InferenceKey.predicted_label:
            out[key] = [_plain(v) for v in labels]
        elif proba is None:
            continue  # regression: only the predicted value exists
        elif key is InferenceKey.probability:
            values = proba[:, 1] if proba.shape[1] == 2 else proba.max(axis=1)
            out[key] = [float(v) for v in values]
        elif key is InferenceKey.probabilities:
            out[key] = [[float(v) for v in row] for row in np.round(proba, 6)]
        elif key is InferenceKey.labels:
            out[key] = [list(class_labels or [])] * n
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def format_response(columns: dict[InferenceKey, list[Any]], accept: str) -> tuple[bytes, str]:
    """JSON `{"predictions": [...]}` or CSV (one line per row, keys in order)."""
    keys = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    if accept == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for i in range(n):
            writer.writerow(
                [
                    json.dumps(columns[k][i]) if isinstance(columns[k][i], list) else columns[k][i]
                    for k in keys
                ]
            )
        return buffer.getvalue().encode(), CSV
    rows = [{k.value: columns[k][i] for k in keys} for i in range(n)]
    return json.dumps({"predictions": rows}).encode(), JSON
