"""The scaling benchmark (bench/engine/scaling.py) runs end to end on a tiny table."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from support.bench_modules import BENCH

ENGINE_BENCH = BENCH / "engine"
sys.path.insert(0, str(ENGINE_BENCH))
import scaling  # noqa: E402


def test_the_generator_is_fixed_by_its_seed_and_its_optimum_is_attainable() -> None:
    frame, probability = scaling.generate(5000, seed=3)
    again, _ = scaling.generate(5000, seed=3)
    assert frame.equals(again)
    assert list(frame.columns) == [f"x{j}" for j in range(12)] + ["segment", "y"]
    assert frame["segment"].nunique() == scaling.N_LEVELS
    optimum = scaling.optimum_auc(frame, probability)
    # A model that ignores the data scores 0.5; the process's own probability does better
    # than any single feature.
    from sklearn.metrics import roc_auc_score

    best_single = max(abs(roc_auc_score(frame["y"], frame[f"x{j}"]) - 0.5) + 0.5 for j in range(12))
    assert 0.75 < optimum < 0.95 and optimum > best_single
    assert np.all((probability > 0) & (probability < 1))


@pytest.mark.timeout(300)
def test_a_small_run_prints_the_table_and_records_both_fits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert scaling.main(["--rows", "3000", "--budget", "10", "--work", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "| rows | CSV MiB | budget s | job s |" in printed and "| 3,000 |" in printed
    (record,) = [json.loads(line) for line in (tmp_path / "scaling.jsonl").read_text().splitlines()]
    ours, reference = record["ours"], record["reference"]
    assert ours["status"] == reference["status"] == "ok"
    assert ours["candidates"] >= 1 and 0.5 < ours["validation_auc"] <= 1
    assert ours["peak_rss_mib"] > 50 and reference["peak_rss_mib"] > 50
    assert abs(record["optimum_auc"] - ours["validation_auc"]) < 0.1
