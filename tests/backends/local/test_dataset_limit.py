"""The local backend's largest accepted file follows this machine's memory: a file over it is
refused at preview and create with the size of a sample that fits (real server; the memory
figure is configured small so that no big file is needed)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from support.bad_inputs import good_rows

from jupyter_autopilot.engine.capacity import (
    JOB_BASE_BYTES,
    JOB_BYTES_PER_CSV_BYTE,
    USABLE_SHARE,
    check_fits,
    largest_text_bytes,
)
from jupyter_autopilot.exceptions import DatasetTooLarge

#: The CSV text (bytes) the configured memory figure allows.
LIMIT = 20_000
MEMORY = int((JOB_BASE_BYTES + JOB_BYTES_PER_CSV_BYTE * LIMIT) / USABLE_SHARE) + 1


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {**jp_server_config, "LocalBackend": {"memory_bytes": MEMORY}}


def test_the_limit_grows_with_memory_and_leaves_room_for_the_rest() -> None:
    assert largest_text_bytes(MEMORY) == LIMIT
    assert largest_text_bytes(JOB_BASE_BYTES) == 0  # not even the interpreter fits
    assert largest_text_bytes(2 * MEMORY) > 2 * LIMIT
    # 24 GiB (this machine) is enough for the 1M-row benchmark table (83 MB of CSV).
    assert largest_text_bytes(24 * 2**30) > 83_000_000


def test_a_gzip_file_is_measured_by_its_text(tmp_path: Path) -> None:
    text = good_rows(3000)
    assert len(text) > LIMIT
    packed = tmp_path / "big.csv.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    assert packed.stat().st_size < LIMIT  # small on disk, big in memory
    with pytest.raises(DatasetTooLarge, match="uncompressed"):
        check_fits(packed, LIMIT, "a test")


async def test_a_file_over_the_limit_is_refused_with_a_sample_that_fits(api, jp_root_dir: Path):
    text = good_rows(3000)
    (jp_root_dir / "big.csv").write_text(text)
    body = {"name": "big", "input_uri": "big.csv", "target": "y"}
    messages = []
    for route, payload in [
        ("datasets/preview", {"uri": "big.csv"}),
        ("validation/experiment", body),
        ("experiments", body),
    ]:
        reply = await api.post(route, payload)
        assert reply.code == 400, (route, reply.body)
        assert reply.error == "dataset_too_large", reply.body
        messages.append(reply.body["message"])
    assert (await api.get("experiments")).body["total"] == 0
    message = messages[0]
    assert "about 3,000 rows" in message and "GiB of memory set by" in message, message
    assert "SageMaker" in message
    rows = int(re.search(r"at most ([\d,]+) rows", message)[1].replace(",", ""))  # type: ignore[index]
    assert 0.5 * LIMIT / len(text) * 3000 < rows <= LIMIT / len(text) * 3000

    # The sample the message proposes is accepted: preview, check and create.
    lines = text.splitlines(keepends=True)
    (jp_root_dir / "sample.csv").write_text("".join(lines[: rows + 1]))
    assert (await api.post("datasets/preview", {"uri": "sample.csv"})).code == 200
    sample = {"name": "sample", "input_uri": "sample.csv", "target": "y"}
    checked = await api.post("validation/experiment", sample)
    assert checked.code == 200, checked.body
