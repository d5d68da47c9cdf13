"""Every bad data file of the engine's catalogue, through the REST API: a 400 that says
what to fix, for both the check route and create, and nothing left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.bad_inputs import BAD_INPUTS, good_rows

from jupyter_autopilot.models import ProblemType

#: The memory-limit case is a server setting here (max_dataset_bytes), tested below.
CASES = [case for case in BAD_INPUTS if "memory limit" not in case]


def spec_fields(extra: dict) -> dict:
    fields = {}
    for key, value in extra.items():
        fields[key] = value.value if isinstance(value, ProblemType) else value
    return fields


@pytest.mark.parametrize("case", CASES)
async def test_bad_file_is_a_400_and_nothing_is_stored(api, jp_root_dir: Path, case: str):
    text, extra, expected = BAD_INPUTS[case]
    path = jp_root_dir / "bad.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    body = {"name": "bad-file", "input_uri": "bad.csv", "target": "y", **spec_fields(extra)}
    for route in ("validation/experiment", "experiments"):
        reply = await api.post(route, body)
        assert reply.code == 400, (case, route, reply.body)
        assert reply.error in ("invalid_dataset", "invalid_request"), reply.body
        for fragment in expected:
            assert fragment in reply.body["message"], (case, reply.body["message"])
    assert (await api.get("experiments")).body["total"] == 0
    assert not (jp_root_dir / "autopilot" / "experiments" / "bad-file").exists()


@pytest.fixture
def autopilot_config(request):
    return {"max_dataset_bytes": 1000} if "small_limit" in request.keywords else {}


@pytest.mark.small_limit
async def test_file_over_the_servers_size_limit(api, jp_root_dir: Path):
    (jp_root_dir / "big.csv").write_text(good_rows(400))
    reply = await api.post("experiments", {"name": "big", "input_uri": "big.csv", "target": "y"})
    assert reply.code == 400
    assert "max_dataset_bytes" in reply.body["message"]
    assert (await api.get("experiments")).body["total"] == 0


async def test_a_fifo_named_csv_is_refused_at_once(api, jp_root_dir: Path):
    import os

    os.mkfifo(jp_root_dir / "pipe.csv")  # nobody writes to it: opening it would block
    body = {"name": "piped", "input_uri": "pipe.csv", "target": "y"}
    for route, payload in [
        ("datasets/preview", {"uri": "pipe.csv"}),
        ("validation/experiment", body),
        ("experiments", body),
        ("datasets/upload", {"path": "pipe.csv"}),
    ]:
        reply = await api.post(route, payload)
        assert reply.code == 400, (route, reply.body)
        assert "is a named pipe (FIFO), not a regular file" in reply.body["message"], reply.body
    assert (await api.get("experiments")).body["total"] == 0


async def test_repeated_and_missing_column_names_are_named_with_a_warning(api, jp_root_dir: Path):
    rows = [f"{i},{i % 7},{i % 3},{(i * 7) % 11},{'yes' if i % 2 else 'no'}" for i in range(60)]
    (jp_root_dir / "named.csv").write_text("\n".join([",a,b,a,y", *rows]) + "\n")
    preview = await api.post("datasets/preview", {"uri": "named.csv"})
    assert preview.code == 200, preview.body
    assert preview.body["has_header"] is True
    assert [c["name"] for c in preview.body["columns"]] == ["column_1", "a", "b", "a_2", "y"]
    assert preview.body["rows"][0] == ["0", "0", "0", "0", "no"]
    assert any("names 'a' 2 times" in w for w in preview.body["warnings"]), preview.body
    assert any("Column 1 has no name" in w for w in preview.body["warnings"]), preview.body
    checked = await api.post(
        "validation/experiment", {"name": "named", "input_uri": "named.csv", "target": "y"}
    )
    assert checked.code == 200, checked.body
    assert sum(w["code"] == "column_names" for w in checked.body["warnings"]) == 2
