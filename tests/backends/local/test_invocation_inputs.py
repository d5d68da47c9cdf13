"""What a local endpoint accepts, through the API route: long text cells like SageMaker
(only the 6 MB payload is bounded), and numbers where training had numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support.sample_data import cancer_frame

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


@pytest.fixture
def clinic_csv(jp_root_dir: Path) -> str:
    """The cancer data plus a category column, and `?` for 2% of one numeric column (read
    as missing by training, which still types the column as numeric)."""
    frame = cancer_frame()
    rng = np.random.default_rng(0)
    frame.insert(0, "clinic", rng.choice(["north", "south", "east"], size=len(frame)))
    frame["mean radius"] = frame["mean radius"].astype(object)
    frame.loc[rng.random(len(frame)) < 0.02, "mean radius"] = "?"
    path = jp_root_dir / "data" / "clinic.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return "data/clinic.csv"


async def invoke(api: Any, body: Any, csv: bool) -> Any:
    if csv:
        return await api.post(
            "endpoints/clinic-ep/invocations", raw=body, headers={"Content-Type": "text/csv"}
        )
    return await api.post("endpoints/clinic-ep/invocations", {"instances": body})


async def test_long_cells_are_predicted_and_non_numbers_refused(api, clinic_csv, jp_root_dir):
    spec = {"name": "clinic", "input_uri": clinic_csv, "target": "diagnosis", "max_candidates": 2}
    assert (await api.post("experiments", spec)).code == 201
    done = await api.wait_for("experiments/clinic", lambda b: b["status"] != "InProgress")
    assert done["status"] == "Completed", done
    assert (await api.post("experiments/clinic/deploy", {"endpoint_name": "clinic-ep"})).code == 202
    endpoint = await api.wait_for("endpoints/clinic-ep", lambda b: b["status"] != "Creating", 120)
    assert endpoint["status"] == "InService", endpoint
    columns = endpoint["input_columns"]
    assert "clinic" in columns and "mean radius" in columns
    first = cancer_frame().drop(columns="diagnosis").iloc[0].to_dict()
    row = {"clinic": "north", **first}

    def csv_body(header: bool = True, **changes: Any) -> str:
        values = {**row, **changes}
        line = ",".join(str(values[c]) for c in columns) + "\n"
        return ",".join(columns) + "\n" + line if header else line

    # A text cell of 200,000 characters (over the csv module's default of 131,072): CSV,
    # with or without a header line, answers like JSON, where it always worked.
    long = "n" * 200_000
    by_json = await invoke(api, [{**row, "clinic": long}], csv=False)
    assert by_json.code == 200, by_json.body
    for header in (False, True):
        by_csv = await invoke(api, csv_body(header, clinic=long), csv=True)
        assert by_csv.code == 200, by_csv.body
        assert by_csv.body == by_json.body

    # Missing values, and the `?` training saw in that column, stay allowed.
    for value in ("", "?"):
        reply = await invoke(api, csv_body(**{"mean radius": value}), csv=True)
        assert reply.code == 200, (value, reply.body)
    reply = await invoke(api, [{**row, "mean radius": None}], csv=False)
    assert reply.code == 200, reply.body

    # Text, objects and lists where training had numbers: 400 naming the column and row.
    two_rows = csv_body() + csv_body(**{"mean texture": "twelve"}).split("\n", 1)[1]
    reply = await invoke(api, two_rows, csv=True)
    assert reply.code == 400, reply.body
    assert "Column 'mean texture' holds numbers, but row 2 has 'twelve'" in reply.body["message"]
    for value, shown in (
        ("twelve", "'twelve'"),
        ({"value": 12}, 'a JSON object {"value": 12}'),
        ([12, 13], "a list [12, 13]"),
    ):
        reply = await invoke(api, [row, {**row, "mean texture": value}], csv=False)
        assert reply.code == 400, (value, reply.body)
        assert "'mean texture'" in reply.body["message"] and "row 2" in reply.body["message"]
        assert shown in reply.body["message"], reply.body
    # A JSON object is not a value in a category column either.
    reply = await invoke(api, [{**row, "clinic": {"name": "north"}}], csv=False)
    assert reply.code == 400 and "'clinic', row 1" in reply.body["message"], reply.body
    assert json.dumps(reply.body).count("server.log") == 0
