"""Invocation payload parsing: both CSV paths (small and large bodies) agree."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.exceptions import InvalidRequest, UnsupportedMediaType
from jupyter_autopilot.models import InferenceKey
from jupyter_autopilot.serving import payloads
from jupyter_autopilot.serving.payloads import (
    format_response,
    frame_from_csv,
    parse_body,
    prediction_columns,
)

COLUMNS = ["age", "job", "balance"]


def big(body: str, copies: int) -> bytes:
    return (body * copies).encode()


@pytest.mark.parametrize("copies", [1, 2000])
def test_headerless_rows_in_training_order(copies):
    frame = frame_from_csv(big('41,"admin., senior",12.5\n', copies), COLUMNS)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == copies
    assert frame.iloc[0].tolist() == ["41", "admin., senior", "12.5"]


@pytest.mark.parametrize("copies", [1, 2000])
def test_header_in_any_order_with_extra_columns(copies):
    body = "balance;y;job;age\n" + "1.5;no;;30\n" * copies
    frame = frame_from_csv(body.encode(), COLUMNS)
    assert set(COLUMNS) <= set(frame.columns)
    assert frame["age"].iloc[0] == "30"
    assert pd.isna(frame["job"].iloc[0])


@pytest.mark.parametrize("copies", [1, 2000])
def test_wrong_width_names_the_expected_columns(copies):
    with pytest.raises(InvalidRequest, match="age, job, balance"):
        frame_from_csv(big("1,2\n", copies), COLUMNS)


def test_partial_header_names_the_missing_columns():
    with pytest.raises(InvalidRequest, match="balance"):
        frame_from_csv(b"age,job\n30,x\n", COLUMNS)


def test_small_path_threshold_really_switches(monkeypatch):
    calls = []
    original = payloads._small_frame
    monkeypatch.setattr(payloads, "_small_frame", lambda *a: calls.append(1) or original(*a))
    frame_from_csv(b"1,a,2\n", COLUMNS)
    frame_from_csv(big("1,a,2\n", 5000), COLUMNS)
    assert calls == [1]


def test_json_records_and_lists():
    records = parse_body(
        json.dumps({"instances": [{"age": 1, "job": "x", "balance": 2}]}).encode(),
        "application/json",
        COLUMNS,
    )
    assert records.iloc[0]["job"] == "x"
    lists = parse_body(json.dumps([[1, "x", 2]]).encode(), "application/json", COLUMNS)
    assert list(lists.columns) == COLUMNS
    with pytest.raises(InvalidRequest, match="3 values"):
        parse_body(json.dumps({"instances": [[1, 2]]}).encode(), "application/json", COLUMNS)
    with pytest.raises(UnsupportedMediaType):
        parse_body(b"x", "text/plain", COLUMNS)


def test_autopilot_probability_semantics():
    labels = np.array(["no", "yes"], dtype=object)
    binary = np.array([[0.8, 0.2], [0.3, 0.7]])
    cols = prediction_columns(labels, binary, ["no", "yes"], list(InferenceKey))
    assert cols[InferenceKey.probability] == [0.2, 0.7]  # the positive (second) class
    multi = np.array([[0.1, 0.6, 0.3]])
    cols = prediction_columns(np.array(["b"]), multi, ["a", "b", "c"], [InferenceKey.probability])
    assert cols[InferenceKey.probability] == [0.6]  # the winner
    body, kind = format_response(
        prediction_columns(
            labels, binary, ["no", "yes"], [InferenceKey.predicted_label, InferenceKey.labels]
        ),
        "text/csv",
    )
    assert kind == "text/csv"
    assert body.decode().splitlines()[0] == 'no,"[""no"", ""yes""]"'


@pytest.mark.parametrize("where", ["header row", "first data row", "later row"])
def test_a_cell_longer_than_the_csv_module_default_is_read(where):
    """Python's csv module stops at 131,072 characters per field; SageMaker only bounds the
    payload (6 MB), so a long text cell is predicted like the same value sent as JSON."""
    long = "x" * 200_000
    rows = (
        [f"30,{long},1.5", "31,b,2.5"] if where != "later row" else ["31,b,2.5", f"30,{long},1.5"]
    )
    if where == "header row":
        rows.insert(0, "age,job,balance")
    frame = frame_from_csv("\n".join(rows).encode(), COLUMNS)
    assert long in frame["job"].tolist()
    small = frame_from_csv(f"30,{long[:10]},1.5\n".encode(), COLUMNS)  # the small-body path
    assert small["job"].iloc[0] == long[:10]


@pytest.mark.parametrize(
    ("instances", "expected"),
    [
        ([{"age": 1, "job": {"title": "x"}, "balance": 2}], "'job', row 1: a JSON object"),
        ([[1, "x", 2], [1, "x", [2, 3]]], "'balance', row 2: a list"),
    ],
)
def test_json_objects_and_lists_as_values_are_refused(instances, expected):
    with pytest.raises(InvalidRequest, match=expected):
        parse_body(json.dumps({"instances": instances}).encode(), "application/json", COLUMNS)


@pytest.mark.parametrize("rows", [0, 1, 500])
def test_json_answers_are_exactly_what_json_dumps_writes(rows):
    """The text is assembled a column at a time for speed; it must not differ by a byte."""
    rng = np.random.default_rng(rows)
    proba = rng.random((rows, 3))
    proba[:1, 0] = [np.nan] if rows else []
    names = ['"quoted"', "naïve", "plain"]
    labels = np.asarray(names, dtype=object)[proba.argmax(axis=1)] if rows else np.array([])
    keys = list(InferenceKey)
    columns = prediction_columns(labels, proba, names, keys)
    reference = [{k.value: columns[k][i] for k in keys} for i in range(rows)]
    body, kind = format_response(columns, "application/json")
    assert kind == "application/json"
    assert body == json.dumps({"predictions": reference}).encode()
    regression = prediction_columns(rng.normal(size=rows) * 1e6, None, None, keys)
    reference = [{"predicted_label": v} for v in regression[InferenceKey.predicted_label]]
    assert (
        format_response(regression, "application/json")[0]
        == json.dumps({"predictions": reference}).encode()
    )


@pytest.mark.parametrize("copies", [1, 2000])
def test_big_and_small_bodies_read_alike(copies):
    """Spaces after delimiters, a byte-order mark, missing values and numbers read as
    floats on the big-body path give the same values as the csv-module path."""
    body = "\ufeffage, job ,balance\n" + "30, NA,  1.5\n" * copies
    frame = frame_from_csv(body.encode(), COLUMNS, numeric_columns={"age", "balance"})
    assert list(frame.columns) == COLUMNS
    assert float(frame["age"].iloc[-1]) == 30.0 and float(frame["balance"].iloc[-1]) == 1.5
    assert pd.isna(frame["job"].iloc[-1])
    junk = frame_from_csv(("30,x,1.5\n" * copies + "thirty,x,1\n").encode(), COLUMNS, {"age"})
    assert junk["age"].iloc[-1] == "thirty"  # left as text, for the model to refuse by name


@pytest.mark.parametrize("copies", [1, 2000])
def test_a_body_that_is_not_utf8_is_a_400(copies):
    with pytest.raises(InvalidRequest, match="not UTF-8"):
        frame_from_csv(b"30,x,1.5\n" * copies + b"31,\xff\xfe,2\n", COLUMNS, {"age"})


@pytest.mark.parametrize("copies", [1, 2000])
def test_the_training_files_own_header_with_repeated_and_missing_names(copies):
    """Training named a header `x;x;;y` as x, x_2, column_3 (and the target y): rows sent
    with that same header line are read with those names, small bodies and big."""
    features = ["x", "x_2", "column_3"]
    frame = frame_from_csv(("x;x;;y\n" + "1;2;a;no\n" * copies).encode(), features)
    assert list(frame[features].iloc[0]) == ["1", "2", "a"]
    assert len(frame) == copies
    # A header naming other columns is still refused, saying which are missing.
    with pytest.raises(InvalidRequest, match="x_2"):
        frame_from_csv(("x;z;;y\n" + "1;2;a;no\n" * copies).encode(), features)
