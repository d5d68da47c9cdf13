"""Parsing invocation bodies into frames and formatting predictions (pure functions).

Shared by the endpoint process and by batch predictions, and fast enough for the
single-row path: no per-row Python loops, one pandas parse per request.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..engine.data import unique_column_names
from ..engine.inputs import describe_value
from ..exceptions import InvalidRequest, UnsupportedMediaType
from ..models import InferenceKey
from .content import CSV, JSON, first_line, sniff_delimiter

#: Bodies up to this size are parsed with the csv module (fixed cost matters), larger
#: ones with pandas' C parser (throughput matters).
SMALL_BODY_BYTES = 16 * 1024
NA_TOKENS = {"", "NA", "NaN", "nan", "null", "NULL", "None"}
#: Python's csv module refuses fields over 131,072 characters, a default of its own.
#: SageMaker bounds only the whole payload (6 MB, our handler's limit too), so a field may
#: be as long as a body the model server accepts.
MAX_FIELD_CHARS = 64 * 1024 * 1024


def _allow_long_fields() -> None:
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)


def _first_row(text: str, delimiter: str) -> list[str]:
    line = first_line(text).rstrip("\r")
    return next(csv.reader([line], delimiter=delimiter), [])


def frame_from_csv(
    body: bytes, feature_columns: Sequence[str], numeric_columns: Collection[str] = ()
) -> pd.DataFrame:
    """CSV rows with or without a header line.

    With a header (detected when it names every feature column) columns may come in
    any order and extra columns (such as the target) are ignored. Without one, rows must
    hold exactly the feature columns in training order. Values are text, except that
    big bodies read `numeric_columns` as floats when every value there is a number or
    empty (converting text to numbers later costs far more than the parser does).
    """
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    if not body.strip():
        raise InvalidRequest("The request body is empty: send at least one CSV row.")
    _allow_long_fields()
    try:
        return _frame_from_bytes(body, feature_columns, numeric_columns)
    except UnicodeDecodeError:
        raise InvalidRequest("The CSV body is not UTF-8 text.") from None
    except csv.Error as error:
        raise InvalidRequest(f"The CSV body could not be parsed: {error}") from None


def _frame_from_bytes(
    body: bytes, feature_columns: Sequence[str], numeric_columns: Collection[str]
) -> pd.DataFrame:
    end = body.find(b"\n")
    head = (body if end < 0 else body[:end]).decode("utf-8")
    delimiter = sniff_delimiter(head)
    first = [cell.strip() for cell in _first_row(head, delimiter)]
    if len(set(first)) < len(first) or "" in first:
        # The training file's own header, with missing or repeated names: training
        # named those columns `column_3`, `x_2`..., and so does this reading.
        renamed, _ = unique_column_names(first)
        if set(feature_columns) <= set(renamed):
            first = renamed
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
    if len(body) <= SMALL_BODY_BYTES:
        header = first if has_header else None
        return _small_frame(body.decode("utf-8"), delimiter, header, feature_columns)
    # pandas reads the bytes itself (no decoding to str and back); all at once, not in
    # chunks it would then concatenate.
    options: dict[str, Any] = {
        "sep": delimiter,
        "encoding": "utf-8",
        "low_memory": False,
        "keep_default_na": False,
        "na_values": sorted(NA_TOKENS),
        # Skipping spaces costs the parser a fifth of its time: only if there are spaces
        # (one memchr; searching for delimiter-space pairs costs as much as it saves).
        "skipinitialspace": b" " in body,
    }
    numbers: list[Any] = []
    if has_header and len(set(first)) == len(first):
        # Our stripped names, so the float columns can be named.
        options.update(header=0, names=first)
        numbers = [c for c in first if c in numeric_columns]
    elif has_header:
        options["header"] = 0
    else:  # columns are numbered
        options["header"] = None
        numbers = [i for i, c in enumerate(feature_columns) if c in numeric_columns]
    try:
        frame = _read_csv(body, options, numbers)
    except pd.errors.ParserError as error:
        raise InvalidRequest(f"The CSV body could not be parsed: {error}") from None
    if has_header:
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame
    if frame.shape[1] != len(feature_columns):
        raise InvalidRequest(
            f"Each CSV row needs {len(feature_columns)} values (the feature columns in training "
            f"order: {', '.join(feature_columns)}), but the rows have {frame.shape[1]}. "
            "Leave the target column out, or send a header line naming the columns."
        )
    frame.columns = list(feature_columns)
    return frame


def _read_csv(body: bytes, options: dict[str, Any], numbers: list[Any]) -> pd.DataFrame:
    """pandas' C parser: `numbers` (column names or positions) as floats if they all are,
    everything else as text; a non-number anywhere there reads all as text (the model
    then names the cell)."""
    if numbers:
        dtypes: defaultdict[Any, Any] = defaultdict(lambda: str, dict.fromkeys(numbers, "float64"))
        try:
            return pd.read_csv(io.BytesIO(body), dtype=dtypes, **options)
        except UnicodeDecodeError:
            raise
        except ValueError:
            pass
    return pd.read_csv(io.BytesIO(body), dtype=str, **options)


def _small_frame(
    text: str, delimiter: str, header: list[str] | None, feature_columns: Sequence[str]
) -> pd.DataFrame:
    """The few-rows path: the csv module beats pandas' parser setup cost (~1 ms).
    `header`: the column names of the header row (None: no header row)."""
    rows = [
        [None if cell.strip() in NA_TOKENS else cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        if row
    ]
    if header is not None:
        rows = rows[1:]
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


def parse_body(
    body: bytes,
    content_type: str,
    feature_columns: Sequence[str],
    numeric_columns: Collection[str] = (),
) -> pd.DataFrame:
    """An invocation body as a frame (`numeric_columns`: see `frame_from_csv`)."""
    if content_type == CSV:
        return frame_from_csv(body, feature_columns, numeric_columns)
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
            # tolist() turns numpy scalars into plain Python values, in C.
            out[key] = np.asarray(labels).tolist()
        elif proba is None:
            continue  # regression: only the predicted value exists
        elif key is InferenceKey.probability:
            values = proba[:, 1] if proba.shape[1] == 2 else proba.max(axis=1)
            out[key] = np.asarray(values, dtype=float).tolist()
        elif key is InferenceKey.probabilities:
            out[key] = np.round(np.asarray(proba, dtype=float), 6).tolist()
        elif key is InferenceKey.labels:
            out[key] = [list(class_labels or [])] * n
    return out


def _json_column(values: list[Any]) -> tuple[str, list[Any]]:
    """A %-format placeholder and the values to fill it with, so that each renders as
    `json.dumps` writes it: finite floats through %r (the same shortest repr), anything
    else pre-rendered once per distinct value (labels repeat) and inserted with %s."""
    if all(type(v) is float for v in values) and all(map(math.isfinite, values)):
        return "%r", values
    if all(type(v) is str for v in values):
        texts = {v: json.dumps(v) for v in set(values)}
        return "%s", list(map(texts.__getitem__, values))
    # Lists (probabilities), keyed by identity: the `labels` key repeats one list.
    cache: dict[int, str] = {}
    return "%s", [
        cache.setdefault(id(v), json.dumps(v)) if isinstance(v, list) else json.dumps(v)
        for v in values
    ]


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
    # The document is one %-format of a row template repeated: building and encoding
    # 10,000 dicts cost more than the HTTP round trip. The text is exactly what
    # json.dumps({"predictions": rows}) writes (tests/serving/test_payloads.py checks).
    if not n:
        return b'{"predictions": []}', JSON
    placeholders, values = zip(*(_json_column(columns[k]) for k in keys), strict=True)
    # Key names are fixed words (no % in them), so the template needs no escaping.
    row = ", ".join(f"{json.dumps(k.value)}: {p}" for k, p in zip(keys, placeholders, strict=True))
    rows = itertools.chain.from_iterable(zip(*values, strict=True))
    document = ", ".join(["{" + row + "}"] * n) % tuple(rows)
    return ('{"predictions": [' + document + "]}").encode(), JSON
