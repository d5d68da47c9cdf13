"""`?explain=true` on local invocations: the route, its limits and errors, and the client's
tidy DataFrame, against a real server, a real training run and a real model server."""

from __future__ import annotations

import asyncio
import json
import math

import pytest
from support.deployed import customers, deploy, train

from jupyter_autopilot.client import AutopilotClientError
from jupyter_autopilot.engine.contributions import MAX_EXPLAIN_ROWS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

ROUTE = "endpoints/why-ep/invocations"
KEYS = "predicted_label,probabilities,labels"


def _csv(n: int, seed: int = 3) -> str:
    return customers(n, seed=seed).drop(columns="y").to_csv(index=False)


def _shown(row: dict, prediction: dict, space: str) -> float:
    """The prediction the user sees, in the explanation's space."""
    p = prediction["probabilities"][prediction["labels"].index(row["label"])]
    return math.log(p / (1 - p)) if space == "log_odds" else p


async def test_explain_route_limits_and_errors(api, jp_root_dir, client):
    health = await api.get("health")
    assert health.body["features"]["explanations"] is True  # the panel asks for them
    await train(api, jp_root_dir, "why")
    await deploy(api, "why", "why-ep")

    reply = await api.post(
        ROUTE,
        raw=_csv(3),
        headers={"Content-Type": "text/csv"},
        params={"explain": "true", "keys": KEYS},
    )
    assert reply.code == 200, reply.body
    explanation = reply.body["explanation"]
    assert explanation["method"] in ("tree_shap", "linear", "sampling")
    assert explanation["space"] in ("log_odds", "probability")
    rows = explanation["rows"]
    assert len(rows) == 3
    sent = customers(3, seed=3)
    for i, (row, prediction) in enumerate(zip(rows, reply.body["predictions"], strict=True)):
        assert row["label"] == "yes"  # the positive class, whatever was predicted
        columns = [c["column"] for c in row["contributions"]]
        assert sorted(columns) == ["age", "balance", "job"]
        sizes = [abs(c["contribution"]) for c in row["contributions"]]
        assert sizes == sorted(sizes, reverse=True)
        total = row["base_value"] + sum(c["contribution"] for c in row["contributions"])
        assert total == pytest.approx(row["output"], abs=1e-6)
        assert row["output"] == pytest.approx(
            _shown(row, prediction, explanation["space"]), abs=1e-6
        )
        values = {c["column"]: c["value"] for c in row["contributions"]}
        assert values["job"] == sent["job"][i]
        assert values["age"] == pytest.approx(sent["age"][i])

    # JSON rows too; without explain=true the answer is unchanged.
    record = sent.drop(columns="y").iloc[0].to_dict()
    reply = await api.post(ROUTE, {"instances": [record]}, params={"explain": "true"})
    assert reply.code == 200 and len(reply.body["explanation"]["rows"]) == 1
    plain = await api.post(ROUTE, {"instances": [record]})
    assert plain.code == 200 and "explanation" not in plain.body

    # Too many rows: 400 naming the limit, before any prediction.
    reply = await api.post(
        ROUTE,
        raw=_csv(MAX_EXPLAIN_ROWS + 1),
        headers={"Content-Type": "text/csv"},
        params={"explain": "true"},
    )
    assert reply.code == 400 and reply.error == "invalid_request"
    assert f"at most {MAX_EXPLAIN_ROWS} rows" in reply.body["message"]
    # CSV answers cannot carry explanations.
    reply = await api.post(
        ROUTE,
        raw=_csv(1),
        headers={"Content-Type": "text/csv", "Accept": "text/csv"},
        params={"explain": "true"},
    )
    assert reply.code == 400 and "Accept: application/json" in reply.body["message"]
    reply = await api.post(ROUTE, raw=_csv(1), params={"explain": "perhaps"})
    assert reply.code == 400, reply.body

    # The client: a tidy frame, one line per row and column.
    frame = sent.drop(columns="y").set_axis([10, 11, 12])
    tidy = await asyncio.to_thread(client.explain, "why-ep", frame)
    assert list(tidy.columns) == [
        "row",
        "column",
        "value",
        "contribution",
        "label",
        "base_value",
        "output",
        "space",
        "method",
        "predicted_label",
    ]
    assert len(tidy) == 9 and sorted(set(tidy["row"])) == [10, 11, 12]
    for _, lines in tidy.groupby("row"):
        total = lines["base_value"].iloc[0] + lines["contribution"].sum()
        assert total == pytest.approx(lines["output"].iloc[0], abs=1e-6)
    predicted = await asyncio.to_thread(client.predict, "why-ep", frame)
    by_row = tidy.groupby("row")["predicted_label"].first()
    assert list(by_row) == list(predicted["predicted_label"])
    with pytest.raises(AutopilotClientError) as error:
        await asyncio.to_thread(client.explain, "why-ep", customers(11).drop(columns="y"))
    assert error.value.status == 400
    json.dumps(tidy.to_dict(orient="records"))  # plain values
