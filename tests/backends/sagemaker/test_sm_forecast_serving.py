"""The translation between our forecast API and an Autopilot forecaster's endpoint
(`forecast_serving.py`), without a server: the history kept per item, the request bodies
(header, history, future rows, splitting), the answer read back, the checks."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import boto3
import pandas as pd
import pytest
from moto import mock_aws
from sm_support import REGION
from support.sample_data import monthly_sales

from jupyter_autopilot.backends.sagemaker import forecast_serving as fs
from jupyter_autopilot.backends.sagemaker.session import AwsSession
from jupyter_autopilot.backends.sagemaker.store import ForecasterRecord
from jupyter_autopilot.exceptions import InvalidRequest
from jupyter_autopilot.models import ForecastSpec

BUCKET = "forecast-data"


def record(related: list[str] | None = None, **forecast: Any) -> ForecasterRecord:
    spec = ForecastSpec(timestamp="date", item_ids=["store"], frequency="MS", horizon=3, **forecast)
    columns = ["store", "date", "sales", *(related or [])]
    return ForecasterRecord(
        target="sales",
        forecast=spec,
        input_uri=f"s3://{BUCKET}/in/sales.csv",
        columns=columns,
        related=related or [],
    )


@pytest.fixture
def aws(tmp_path: Path) -> Any:
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        session.client("s3").create_bucket(Bucket=BUCKET)
        yield AwsSession(
            lambda: session,
            region=REGION,
            role_arn=None,
            default_bucket=None,
            dry_run=False,
            log=logging.getLogger("test"),
        )


def put(frame: pd.DataFrame, key: str = "in/sales.csv") -> None:
    body = frame.to_csv(index=False).encode()
    boto3.client("s3", region_name=REGION).put_object(Bucket=BUCKET, Key=key, Body=body)


def test_history_keeps_each_items_latest_rows_over_chunks(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fs, "HISTORY_STEPS", 10)
    monkeypatch.setattr(fs, "CHUNK_ROWS", 7)  # items cross chunk boundaries
    frame = monthly_sales(items=3, length=30).sample(frac=1, random_state=0)  # any order
    put(frame)
    history = fs.load_history(aws, record())
    assert history.items == ["s0", "s1", "s2"] and not history.timed
    for item in history.items:
        rows = history.rows[history.rows["store"] == item]
        assert list(rows["date"]) == [
            d.strftime("%Y-%m-%d") for d in pd.date_range("2019-09-01", periods=10, freq="MS")
        ]
        # The values as the file wrote them (sent back as read).
        original = frame[(frame["store"] == item)].set_index("date")["sales"]
        assert [float(v) for v in rows["sales"]] == [original[d] for d in rows["date"]]


def test_a_prefix_input_is_every_object_under_it(aws: Any) -> None:
    frame = monthly_sales(items=2, length=12)
    put(frame[frame["store"] == "s0"], "in/part-1.csv")
    put(frame[frame["store"] == "s1"], "in/part-2.csv")
    history = fs.load_history(aws, record().model_copy(update={"input_uri": f"s3://{BUCKET}/in"}))
    assert history.items == ["s0", "s1"] and len(history.rows) == 24


def test_bodies_have_the_header_history_and_future_and_split_by_size(aws: Any) -> None:
    frame = monthly_sales(items=4, length=24, promo=True)
    put(frame)
    rec = record(related=["promo"])
    history = fs.load_history(aws, rec)
    future = fs.future_template(history, rec, history.items)
    assert list(future.columns) == ["item_id", "timestamp", "promo"] and len(future) == 12
    (body,) = fs.request_bodies(history, rec, None, future)
    lines = body.decode().splitlines()
    assert lines[0] == "store,date,sales,promo" and len(lines) == 1 + 4 * (24 + 3)
    # One item's history (as read), then its three future rows with an empty target.
    assert lines[25:28] == [
        f"s0,2020-0{m}-01,,{float(frame[frame['store'] == 's0']['promo'].iloc[-1])!r}"
        for m in (1, 2, 3)
    ]
    # Bodies above the size bound are split between items, each with the header.
    bodies = fs.request_bodies(history, rec, None, future, max_bytes=len(body) // 2)
    assert len(bodies) >= 2 and all(len(b) <= len(body) // 2 for b in bodies)
    assert all(b.decode().startswith("store,date,sales,promo\n") for b in bodies)
    assert sum(len(b.decode().splitlines()) - 1 for b in bodies) == 4 * 27
    items = [{line.split(",")[0] for line in b.decode().splitlines()[1:]} for b in bodies]
    assert sorted(i for group in items for i in group) == ["s0", "s1", "s2", "s3"]
    assert sum(len(group) for group in items) == 4  # no item is split over two bodies
    # An item too wide for one body alone: its latest history, its future rows whole.
    (narrow, *_) = fs.request_bodies(history, rec, ["s0"], future, max_bytes=400)
    rows = narrow.decode().splitlines()[1:]
    assert rows[-3:] == lines[25:28]
    assert fs.MIN_HISTORY <= len(rows) - 3 < 24 and rows[-4] == lines[24]


def test_checks_before_anything_is_sent(aws: Any) -> None:
    frame = monthly_sales(items=3, length=24)
    short = pd.DataFrame({"store": "s9", "date": ["2018-01-01", "2018-02-01"], "sales": [1, 2]})
    put(pd.concat([frame, short]))
    rec = record()
    history = fs.load_history(aws, rec)
    with pytest.raises(InvalidRequest, match="fewer than 4 known values"):
        fs.request_bodies(history, rec, ["s9"], None)
    with pytest.raises(InvalidRequest, match="No history for item"):
        fs.request_bodies(history, rec, ["nope"], None)
    with pytest.raises(InvalidRequest, match="knows 4 items"):
        fs.request_bodies(history, rec, None, None, limit=2)
    with pytest.raises(InvalidRequest, match="at most 2 at a time"):
        fs.request_bodies(history, rec, ["s0", "s1", "s2"], None, limit=2)
    # A batch has no limit: every item with enough history.
    assert len(fs.choose_items(history, None, None)) == 4
    related = record(related=["promo"])
    with pytest.raises(InvalidRequest, match="related columns promo"):
        fs._future_values(history, related, ["s0"], None)


def test_the_answer_becomes_the_tidy_forecast_with_joined_item_ids() -> None:
    rec = record().model_copy(
        update={
            "forecast": ForecastSpec(
                timestamp="ts", item_ids=["store", "region"], frequency="h", horizon=2
            )
        }
    )
    answer = (
        b"store,region,ts,p10,p50,p90,mean\n"
        b"7,north,2015-01-01 02:00:00,1.0,2.0,3.0,2.1\n"
        b"7,north,2015-01-01 03:00:00,1.5,2.5,3.5,2.4\n"
    )
    tidy = fs.parse_answer(answer, rec)
    assert list(tidy.columns) == ["item_id", "timestamp", "mean", "p10", "p50", "p90"]
    assert list(tidy["item_id"]) == ["7|north", "7|north"]
    assert tidy["timestamp"].iloc[1] == pd.Timestamp("2015-01-01 03:00:00")
    assert tidy["mean"].tolist() == [2.1, 2.4]
    with pytest.raises(InvalidRequest, match="lacks the item-id or timestamp"):
        fs.parse_answer(b"predicted_label\n1\n", rec)


def test_unknown_columns_or_parquet_data_say_what_to_do(aws: Any) -> None:
    with pytest.raises(InvalidRequest, match="could not be read when it was deployed"):
        fs.load_history(aws, record().model_copy(update={"columns": []}))
    put(monthly_sales(items=1, length=12), "in/sales.parquet")
    parquet = record().model_copy(update={"input_uri": f"s3://{BUCKET}/in/sales.parquet"})
    with pytest.raises(InvalidRequest, match="is Parquet"):
        fs.load_history(aws, parquet)
