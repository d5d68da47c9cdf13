"""Forecasting through a SageMaker Autopilot forecaster's endpoint, in our API's words.

An AutoML V2 TimeSeriesForecasting candidate is served by one container (its
`InferenceContainers`, no environment to set) whose endpoint keeps no data: every
InvokeEndpoint sends the items' history as CSV (`ContentType: text/csv`) with the header
and columns of the training file ("the schema of your data should remain the same as the
one used to train your model, including the number of columns, column headers, and data
types", developer guide, "Deploy models for real-time predictions"), and the answer is CSV:
the item id (and grouping) columns, the timestamp column, one column per quantile and
`mean`, `ForecastHorizon` rows per item from the step after its last target value (the
aws-samples workshop "modern-time-series-forecasting-on-aws", lab 2, shows both).
Related series' future values go in future-dated rows with an empty target, as in the
training file. The real-time endpoint takes about 6 MB a request and answers within 60 s;
AWS recommends "one or few items at a time" ("Real-time forecasting").

Our API speaks the local forecaster's language: `{"item_ids", "future"}` in, tidy
`forecasts` (item_id, timestamp, mean, p10, ...) out, and `ForecastFuture` for what-if.
This module translates: it reads the items' history from the experiment's training file
on S3 (`load_history`), writes the request bodies (`request_bodies`), reads the answers
back (`parse_answer`) and proposes the future rows (`future_template`). Pure functions and
pandas; the S3 download runs in the AWS thread pool (serving.py).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...engine.forecasting.frequency import future_timestamps
from ...engine.forecasting.model import related_future
from ...engine.forecasting.series import (
    ITEM,
    ITEM_SEPARATOR,
    SINGLE_ITEM,
    TIMESTAMP,
    item_labels,
    parse_timestamps,
)
from ...exceptions import InvalidDataset, InvalidRequest
from ...models import ForecastSpec
from . import s3

if TYPE_CHECKING:
    from .session import AwsSession
    from .store import ForecasterRecord

#: Observed steps of history sent per item: enough for yearly seasonality of daily data
#: (and 41 days of hourly data); AWS sets no minimum beyond `MIN_HISTORY`.
HISTORY_STEPS = 1000
#: Target values an item needs ("The data you supply for inference must have at least
#: four valid historical values for each time-series", amazon-sagemaker-examples,
#: autopilot_time_series.ipynb).
MIN_HISTORY = 4
#: The most items one forecast may ask for (every item of a bigger dataset included):
#: each request is answered within 60 s, and AWS recommends "one or few items at a time".
MAX_ITEMS = 20
#: A request body's largest size: InvokeEndpoint takes 6 MB (the real-time forecasting
#: page says "approximately 6MB"); items are split over requests below this.
MAX_BODY_BYTES = 5 * 2**20
#: Rows read from the training file at a time while keeping each item's tail.
CHUNK_ROWS = 200_000
#: The columns this module adds to the history frame (not sent).
_LABEL, _TIME, _OBSERVED = "__item", "__time", "__observed"


@dataclass
class History:
    """The items' latest observed rows of the training file, as text (sent as read),
    with each row's item label, parsed time and whether its target is known."""

    rows: pd.DataFrame
    columns: list[str]
    #: Whether timestamps carry a time of day (future rows are written alike).
    timed: bool

    #: Each item's rows in time order, grouped once, where the history is read (in the
    #: thread pool): a batch asks for every item.
    by_item: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        self.by_item = {str(i): rows for i, rows in self.rows.groupby(_LABEL, sort=False)}

    @property
    def items(self) -> list[str]:
        return list(self.by_item)


def related_columns(spec: ForecastSpec, target: str, header: list[str]) -> list[str]:
    """The columns whose future values a forecast needs: the spec's related columns, or
    (a job created elsewhere, whose spec does not list them) every column of the file
    that has no other role, which Autopilot uses when no feature specification is given."""
    if spec.related:
        return list(spec.related)
    roles = {target, spec.timestamp, *spec.item_ids}
    return [c for c in header if c not in roles]


def _objects(aws: AwsSession, uri: str) -> list[tuple[str, str]]:
    """(bucket, key) of the CSV objects of a training input: the object, or those under
    the prefix (Autopilot reads every object of an S3Prefix input)."""
    bucket, key = s3.parse_s3_uri(uri, what="input URI")
    first, _ = s3.first_object(aws, bucket, key)
    if first == key:
        found = [key]
    else:
        prefix = key if key.endswith("/") or not key else key + "/"
        found = [
            o["Key"]
            for o in s3.list_objects(aws, bucket, prefix)
            if not o["Key"].endswith("/") and o["Size"] > 0
        ]
    if any(k.lower().endswith((".parquet", ".pq")) for k in found):
        raise InvalidRequest(
            f"The training data of this forecaster ({uri}) is Parquet, which this extension "
            "does not read: forecast by invoking the endpoint with your items' history as CSV "
            "(the training file's columns), or train from a CSV file."
        )
    return [(bucket, k) for k in found]


def load_history(aws: AwsSession, record: ForecasterRecord) -> History:
    """Each item's last `HISTORY_STEPS` observed rows (and the rows after them) of the
    experiment's training data on S3, read in chunks so a big file never sits in memory
    whole. Blocking: run it in the AWS thread pool."""
    spec = record.forecast
    if not record.columns:
        raise InvalidRequest(
            f"The columns of this forecaster's training data ({record.input_uri}) could not "
            "be read when it was deployed, so its items' history cannot be sent: invoke the "
            "endpoint with your items' history as CSV (the training file's columns)."
        )
    kept: pd.DataFrame | None = None
    with tempfile.TemporaryDirectory(prefix="autopilot-history-") as folder:
        for index, (bucket, key) in enumerate(_objects(aws, record.input_uri)):
            path = Path(folder) / f"part-{index}.csv"
            s3.download_file(aws, bucket, key, path)
            reader = pd.read_csv(
                path,
                sep=record.delimiter or ",",
                dtype=str,
                keep_default_na=False,
                chunksize=CHUNK_ROWS,
                compression="gzip" if key.lower().endswith(".gz") else None,
            )
            for chunk in reader:
                missing = [c for c in record.columns if c not in chunk.columns]
                if missing:
                    raise InvalidDataset(
                        f"s3://{bucket}/{key} lacks the column(s) {', '.join(missing)} the "
                        "forecaster was trained with."
                    )
                chunk = chunk[record.columns]
                chunk[_LABEL] = item_labels(chunk, tuple(spec.item_ids)).to_numpy()
                chunk[_TIME] = parse_timestamps(chunk[spec.timestamp]).to_numpy()
                chunk[_OBSERVED] = chunk[record.target].str.strip() != ""
                chunk = chunk[chunk[_TIME].notna()]
                kept = chunk if kept is None else pd.concat([kept, chunk], ignore_index=True)
                kept = _tails(kept)
            path.unlink()
    if kept is None or kept.empty:
        raise InvalidDataset(f"The training data at {record.input_uri} has no dated rows.")
    stamps = kept[spec.timestamp].str.strip()
    timed = bool((stamps.str.len() > 10).any())
    return History(kept.reset_index(drop=True), list(record.columns), timed)


def _tails(rows: pd.DataFrame) -> pd.DataFrame:
    """Per item, its rows from the `HISTORY_STEPS`-th last observed one on, by time."""
    rows = rows.sort_values([_LABEL, _TIME], kind="stable")
    # Observed rows counted from each item's end: 1 for the last observed row.
    from_end = rows[_OBSERVED][::-1].groupby(rows[_LABEL][::-1]).cumsum()[::-1]
    return rows[from_end <= HISTORY_STEPS]


def choose_items(
    history: History, items: list[str] | None, limit: int | None = MAX_ITEMS
) -> list[str]:
    """The items to forecast (default: every item, when there are at most `limit`; None:
    no limit, as for a batch), or a 400 saying what to send instead."""
    known = history.items
    if not items:
        if limit is not None and len(known) > limit:
            raise InvalidRequest(
                f"This forecaster knows {len(known)} items; a SageMaker endpoint forecasts a "
                f"few at a time (at most {limit} here): name the items to forecast "
                f"(e.g. {', '.join(known[:3])}), or run a batch forecast for all of them.",
                details=[{"field": "item_ids"}],
            )
        return known
    wanted = list(dict.fromkeys(str(i) for i in items))
    known_set = set(known)
    unknown = [i for i in wanted if i not in known_set]
    if unknown:
        raise InvalidRequest(
            f"No history for item(s) {', '.join(repr(i) for i in unknown[:5])} in the training "
            f"data; it has {len(known)} items, e.g. {', '.join(repr(i) for i in known[:5])}.",
            details=[{"field": "item_ids"}],
        )
    if limit is not None and len(wanted) > limit:
        raise InvalidRequest(
            f"{len(wanted)} items asked for: a SageMaker endpoint forecasts at most "
            f"{limit} at a time here (each request must be answered within 60 s): ask "
            "for fewer, or run a batch forecast.",
            details=[{"field": "item_ids"}],
        )
    return wanted


def _frequency(spec: ForecastSpec) -> str:
    if not spec.frequency:
        raise InvalidRequest(
            "The forecaster's frequency is unknown, so its forecast steps cannot be dated."
        )
    return spec.frequency


def future_steps(history: History, record: ForecasterRecord, items: list[str]) -> pd.DataFrame:
    """item_id and timestamp of the horizon after each item's last observed step."""
    freq = _frequency(record.forecast)
    parts = []
    for item in items:
        rows = history.by_item[item]
        rows = rows[rows[_OBSERVED]]
        if rows.empty:
            raise InvalidRequest(f"Item {item!r} has no known value of {record.target}.")
        last = rows[_TIME].iloc[-1]
        stamps = future_timestamps(last, freq, record.forecast.horizon)
        parts.append(pd.DataFrame({ITEM: item, TIMESTAMP: stamps}))
    return pd.concat(parts, ignore_index=True)


def future_template(history: History, record: ForecasterRecord, items: list[str]) -> pd.DataFrame:
    """The rows a forecast of `items` needs: each step's timestamp and related values,
    taken from the training file's own future-dated rows where it has them (Autopilot's
    training data carries them up to the horizon), else the item's last known value."""
    steps = future_steps(history, record, items)
    if not record.related:
        return steps
    rows = history.rows[history.rows[_LABEL].isin(items)]
    values = rows[[_LABEL, _TIME, *record.related]].rename(columns={_LABEL: ITEM, _TIME: TIMESTAMP})
    values = values.replace("", np.nan)
    last = values.groupby(ITEM, sort=False)[record.related].last()
    planned = values.drop_duplicates([ITEM, TIMESTAMP], keep="last")
    merged = steps.merge(planned, on=[ITEM, TIMESTAMP], how="left")
    for column in record.related:
        fallback = merged[ITEM].map(last[column])
        merged[column] = pd.to_numeric(merged[column].fillna(fallback), errors="coerce")
    return merged


def _future_values(
    history: History, record: ForecasterRecord, items: list[str], future: pd.DataFrame | None
) -> pd.DataFrame | None:
    """The related values for every step of every item (as `future_template` names the
    steps), or a 400 saying what lacks: the local forecaster's rules (`related_future`)."""
    if not record.related:
        return None
    steps = future_steps(history, record, items)
    return related_future(steps, future, list(record.related), record.forecast.horizon)


def _item_columns(record: ForecasterRecord, item: str) -> dict[str, str]:
    """The item-id columns' values of an item label ('store|region' -> both columns)."""
    ids = list(record.forecast.item_ids)
    if not ids:
        return {}
    parts = item.split(ITEM_SEPARATOR, len(ids) - 1) if item != SINGLE_ITEM else [item]
    return dict(zip(ids, parts, strict=False))


def _item_lines(
    history: History, record: ForecasterRecord, item: str, future: pd.DataFrame | None
) -> tuple[list[list[str]], list[list[str]]]:
    """One item's CSV records: its observed history (what followed it in the file is
    left out: the forecast starts after the last known value), and its future rows
    (`future`: the item's steps with their related values, or None)."""
    rows = history.by_item[item]
    observed = np.flatnonzero(rows[_OBSERVED].to_numpy())
    rows = rows.iloc[: observed[-1] + 1] if len(observed) else rows.iloc[:0]
    past = rows[history.columns].to_numpy().tolist()
    if future is None:
        return past, []
    stamp_format = "%Y-%m-%d %H:%M:%S" if history.timed else "%Y-%m-%d"
    fixed = _item_columns(record, item)
    ahead = []
    for _, step in future.iterrows():
        values: dict[str, Any] = {
            **fixed,
            record.forecast.timestamp: step[TIMESTAMP].strftime(stamp_format),
        }
        for column in record.related:
            values[column] = repr(float(step[column])) if np.isfinite(step[column]) else ""
        ahead.append([str(values.get(c, "")) for c in history.columns])
    return past, ahead


def _csv(lines: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    return out.getvalue().encode()


def request_bodies(
    history: History,
    record: ForecasterRecord,
    items: list[str] | None,
    future: pd.DataFrame | None,
    *,
    max_bytes: int = MAX_BODY_BYTES,
    limit: int | None = MAX_ITEMS,
) -> list[bytes]:
    """The InvokeEndpoint bodies (or batch input files) for a forecast of `items` (default:
    every item): CSV with the training header, the items' history and future rows, whole
    items grouped so that each body stays under `max_bytes`. A 400 when an item or a
    future value is missing, or when more than `limit` items are asked for."""
    wanted = choose_items(history, items, limit)
    observed = history.rows[history.rows[_LABEL].isin(wanted)].groupby(_LABEL)[_OBSERVED].sum()
    short = [i for i in wanted if observed.get(i, 0) < MIN_HISTORY]
    if short:
        raise InvalidRequest(
            f"Item(s) {', '.join(repr(i) for i in short[:5])} have fewer than {MIN_HISTORY} "
            f"known values of {record.target}; an Autopilot forecaster needs at least "
            f"{MIN_HISTORY} per series to forecast.",
            details=[{"field": "item_ids"}],
        )
    steps = _future_values(history, record, wanted, future)
    # Each item's future rows, grouped once (not filtered item by item).
    futures = {} if steps is None else {str(i): f for i, f in steps.groupby(ITEM, sort=False)}
    header = _csv([history.columns])
    bodies: list[bytes] = []
    current = header
    for item in wanted:
        past, ahead = _item_lines(history, record, item, futures.get(item))
        block = _csv(past + ahead)
        while len(header) + len(block) > max_bytes and len(past) >= 2 * MIN_HISTORY:
            # A very wide item: send the latest half of its history (its future rows
            # whole, and at least MIN_HISTORY rows: AWS needs four values a series).
            past = past[len(past) // 2 :]
            block = _csv(past + ahead)
        if len(current) + len(block) > max_bytes and current != header:
            bodies.append(current)
            current = header
        current += block
    bodies.append(current)
    return bodies


def parse_answer(body: bytes, record: ForecasterRecord) -> pd.DataFrame:
    """A forecaster endpoint's CSV answer as our tidy forecast: item_id (the item-id
    columns joined as the local engine does), timestamp, mean and each quantile."""
    try:
        answer = pd.read_csv(io.BytesIO(body), dtype={c: str for c in record.forecast.item_ids})
    except (ValueError, pd.errors.ParserError) as error:
        raise InvalidRequest(
            f"The endpoint's answer is not the CSV a forecaster returns: {error}"
        ) from None
    spec = record.forecast
    present = [c for c in spec.item_ids if c in answer.columns]
    if spec.timestamp not in answer.columns or (spec.item_ids and not present):
        raise InvalidRequest(
            "The endpoint's answer lacks the item-id or timestamp column "
            f"(it has {', '.join(map(str, answer.columns))}): is it a forecaster's endpoint?"
        )
    quantiles = [q for q in spec.quantiles if q in answer.columns]
    values = [c for c in ["mean", *quantiles] if c in answer.columns]
    out = pd.DataFrame(
        {
            ITEM: item_labels(answer, tuple(present)).to_numpy(),
            TIMESTAMP: parse_timestamps(answer[spec.timestamp]).to_numpy(),
        }
    )
    for column in values:
        out[column] = pd.to_numeric(answer[column], errors="coerce").to_numpy()
    return out
