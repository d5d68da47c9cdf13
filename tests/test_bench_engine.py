"""The engine benchmark's harness (bench/engine): splits, scoring, verdicts, resuming.

The peers (FLAML, AutoGluon) live in bench-only environments and are not needed here;
one test runs our engine through the harness end to end on a small bundled dataset.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support.bench_modules import BENCH, load_script

ENGINE_BENCH = BENCH / "engine"
sys.path.insert(0, str(ENGINE_BENCH))
import scoring  # noqa: E402
import suite  # noqa: E402

runner = load_script("bench_engine_run", ENGINE_BENCH / "run.py")
common = load_script("bench_common", ENGINE_BENCH.parent / "common.py")


# -- datasets and splits ----------------------------------------------------------------------
def test_clean_drops_row_ids_leaks_and_missing_targets() -> None:
    dataset = suite.Dataset(
        "toy", "test", "label", "binary", 3, 1, lambda: pd.DataFrame(), drop=("leak",)
    )
    frame = pd.DataFrame(
        {
            "rownames": [1, 2, 3, 4],
            "x": [0.1, 0.2, 0.3, 0.4],
            "leak": [1, 0, 1, 0],
            "label": [1, 0, None, 1],
        }
    )
    cleaned = suite.clean(dataset, frame)
    assert list(cleaned.columns) == ["x", "label"]
    assert cleaned["label"].tolist() == ["1.0", "0.0", "1.0"]  # text labels, NaN row gone


def test_write_split_is_stratified_fixed_and_written_once(tmp_path: Path) -> None:
    wine = suite.DATASETS["wine"]
    meta = suite.write_split(wine, 3, tmp_path)
    folder = suite.split_dir(tmp_path, "wine", 3)
    train = pd.read_csv(folder / suite.TRAIN)
    test = pd.read_csv(folder / suite.TEST)
    target = pd.read_csv(folder / suite.TEST_TARGET)
    assert (meta["train_rows"], meta["test_rows"]) == (142, 36) == (len(train), len(test))
    assert wine.target not in test.columns  # the tools never see the test labels
    assert list(target.columns) == [wine.target]
    # Stratified: each class's share of the test set is its share of the data, +-1 row.
    whole = pd.concat([train[wine.target], target[wine.target]])
    for label, count in whole.value_counts().items():
        assert abs((target[wine.target] == label).sum() - count * 0.2) <= 1
    # Written once: a second call returns the recorded split and leaves the files alone.
    stamp = (folder / suite.TRAIN).stat().st_mtime_ns
    assert suite.write_split(wine, 3, tmp_path) == meta
    assert (folder / suite.TRAIN).stat().st_mtime_ns == stamp
    # The same seed gives the same split; another seed another one.
    again = suite.write_split(wine, 3, tmp_path / "again")
    other = suite.write_split(wine, 4, tmp_path / "again")
    assert again["split_id"] == meta["split_id"] != other["split_id"]


def test_write_split_refuses_a_dataset_whose_shape_changed(tmp_path: Path) -> None:
    changed = suite.Dataset(
        "wine", "x", "target", "multiclass", 178, 12, suite.DATASETS["wine"].load
    )
    with pytest.raises(SystemExit, match="got 178 x 13"):
        suite.write_split(changed, 0, tmp_path)


def test_bank_data_is_the_archive_the_package_ships() -> None:
    from jupyter_autopilot.samples import BANK_MARKETING

    assert BANK_MARKETING.member == common.BANK_MEMBER
    assert common.bank_csv_bytes() == BANK_MARKETING.read_csv()


# -- scoring ----------------------------------------------------------------------------------
def test_score_uses_the_splits_metric_on_each_tools_predictions() -> None:
    binary = {"metric": "roc_auc", "classes": ["no", "yes"]}
    truth = pd.Series(["no", "yes", "yes", "no"])
    proba = pd.DataFrame({"pred": ["no"] * 4, "proba:yes": [0.1, 0.8, 0.7, 0.3]})
    assert scoring.score(binary, proba, truth) == 1.0
    flipped = proba.assign(**{"proba:yes": [0.9, 0.2, 0.3, 0.7]})
    assert scoring.score(binary, flipped, truth) == 0.0
    with pytest.raises(scoring.InvalidPredictions, match="'yes'"):
        scoring.score(binary, proba.drop(columns="proba:yes"), truth)
    with pytest.raises(scoring.InvalidPredictions, match="3 predictions for 4"):
        scoring.score(binary, proba.iloc[:3], truth)
    # Labels that pandas reads back as numbers compare as the text they were written as.
    accuracy = {"metric": "accuracy", "classes": ["0", "1", "2"]}
    assert (
        scoring.score(accuracy, pd.DataFrame({"pred": [0, 1, 2, 2]}), pd.Series([0, 1, 2, 1]))
        == 0.75
    )
    r2 = {"metric": "r2", "classes": None}
    y = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert scoring.score(r2, pd.DataFrame({"pred": [1.0, 2.0, 3.0, 4.0]}), y) == 1.0
    assert scoring.score(r2, pd.DataFrame({"pred": [2.5] * 4}), y) == 0.0
    with pytest.raises(scoring.InvalidPredictions):
        scoring.score(r2, pd.DataFrame({"pred": [1.0, np.nan, 3.0, 4.0]}), y)


def test_ratio_is_above_one_when_ours_is_better_for_every_metric() -> None:
    assert scoring.ratio("roc_auc", 0.95, 0.90) == pytest.approx(0.95 / 0.90)
    assert scoring.ratio("accuracy", 0.90, 0.95) < 1
    # R2: the ratio of residual errors, sensible around 0 and below.
    assert scoring.ratio("r2", 0.9, 0.8) == pytest.approx(2.0)
    assert scoring.ratio("r2", 0.1, -0.5) == pytest.approx(1.5 / 0.9)
    assert scoring.ratio("r2", -0.5, 0.0) == pytest.approx(1 / 1.5)
    assert scoring.ratio("r2", 1.0, 0.5) == math.inf
    assert scoring.ratio("r2", 1.0, 1.0) == 1.0


def test_verdict_tolerance_and_budget_grace() -> None:
    assert [scoring.verdict(v) for v in (1.006, 1.004, 0.996, 0.994, None)] == [
        "W",
        "T",
        "T",
        "L",
        "L",
    ]
    assert scoring.verdict(1.02, tie=0.05) == "T"
    # budget + max(2 s, 5%)
    assert scoring.within_budget(11.9, 10) and not scoring.within_budget(12.1, 10)
    assert scoring.within_budget(62.9, 60) and not scoring.within_budget(63.1, 60)
    assert scoring.within_budget(314, 300) and not scoring.within_budget(316, 300)


def _record(dataset: str, seed: int, tool: str, score: float | None, **extra) -> dict:
    return {
        "dataset": dataset,
        "seed": seed,
        "budget": 60,
        "tool": tool,
        "task": "binary",
        "metric": "roc_auc",
        "status": "ok" if score is not None else "failed",
        "score": score,
        "fit_seconds": 50.0,
        "peak_rss_mib": 100.0 + seed,
        "within_budget": True,
        **extra,
    }


def test_summary_compares_ours_with_the_best_peer_over_shared_seeds() -> None:
    tools = ["ours", "flaml", "autogluon"]
    records = [
        # a: ours 0.90 vs the best peer (autogluon, mean 0.85): a win
        _record("a", 0, "ours", 0.90),
        _record("a", 0, "flaml", 0.80),
        _record("a", 0, "autogluon", 0.86),
        _record("a", 1, "ours", 0.90),
        _record("a", 1, "flaml", 0.80),
        _record("a", 1, "autogluon", 0.84, within_budget=False),
        # seed 2 of a lacks a peer's run: not counted for anyone
        _record("a", 2, "ours", 0.10),
        # b: ours failed: a loss with ratio 0; flaml failed too, autogluon is the best peer
        _record("b", 0, "ours", None),
        _record("b", 0, "flaml", None),
        _record("b", 0, "autogluon", 0.7),
        # c: within the tie tolerance
        _record("c", 0, "ours", 0.801),
        _record("c", 0, "flaml", 0.800),
        _record("c", 0, "autogluon", 0.799),
        # another budget: ignored
        {**_record("c", 1, "ours", 0.1), "budget": 300},
    ]
    rows = {row.dataset: row for row in scoring.summarize(records, tools, 60)}
    a, b, c = rows["a"], rows["b"], rows["c"]
    assert a.seeds == [0, 1] and a.scores["ours"] == pytest.approx(0.90)
    assert a.best_peer == "autogluon" and a.ratio == pytest.approx(0.90 / 0.85)
    assert a.verdict == "W" and a.over_budget == {"ours": 0, "flaml": 0, "autogluon": 1}
    assert a.peak_rss_mib["ours"] == 101.0
    assert b.scores == {"ours": None, "flaml": None, "autogluon": 0.7}
    assert (b.best_peer, b.ratio, b.verdict) == ("autogluon", 0.0, "L")
    assert (c.best_peer, c.verdict) == ("flaml", "T")
    total = scoring.totals(list(rows.values()))
    assert (total["wins"], total["ties"], total["losses"]) == (1, 1, 1)
    assert total["at_or_above"] == pytest.approx(2 / 3)
    assert total["mean_ratio"] == pytest.approx((0.90 / 0.85 + 0.0 + 0.801 / 0.800) / 3)


# -- resuming and the end-to-end run ----------------------------------------------------------
def test_latest_full_keeps_a_budgets_figures_until_a_complete_table_replaces_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "latest-full.json"

    def summary(**datasets: int) -> dict:
        budgets = {b[1:]: {"totals": {"datasets": n, "wins": n}} for b, n in datasets.items()}
        return {"tools": ["ours"], "budgets": budgets}

    runner.update_latest_full(path, summary(b60=20), 20)
    # A report while the 300 s runs are under way: the 60 s figures stay.
    runner.update_latest_full(path, summary(b60=20, b300=15), 20)
    assert set(json.loads(path.read_text())["budgets"]) == {"60"}
    runner.update_latest_full(path, summary(b300=20), 20)
    written = json.loads(path.read_text())["budgets"]
    assert written == {
        "60": {"totals": {"datasets": 20, "wins": 20}},
        "300": {"totals": {"datasets": 20, "wins": 20}},
    }


def test_recorded_runs_count_only_for_the_same_tool_version_and_split() -> None:
    base = {"dataset": "wine", "seed": 0, "budget": 60, "tool": "ours", "status": "ok"}
    records = [
        {**base, "tool_id": "engine-old", "split_id": "s1", "score": 0.1},
        {**base, "tool_id": "engine-new", "split_id": "s1", "score": 0.2},
        {**base, "tool_id": "engine-new", "split_id": "s1", "score": 0.3},  # the latest wins
        {**base, "tool_id": "engine-new", "split_id": "s0", "score": 0.4},
    ]
    kept = runner.current(records, {"ours": "engine-new"}, {("wine", 0): "s1"})
    assert [r["score"] for r in kept] == [0.3]


def test_engine_fingerprint_follows_the_engine_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "jupyter_autopilot"
    (package / "engine").mkdir(parents=True)
    (package / "models").mkdir()
    (package / "backends" / "local").mkdir(parents=True)
    for name in ("engine/job.py", "models/m.py", "exceptions.py", "backends/local/backend.py"):
        (package / name).write_text("x = 1\n")
    (package / "app.py").write_text("ui = 1\n")
    monkeypatch.setattr(runner, "ROOT", tmp_path)
    before = runner.engine_fingerprint()
    (package / "app.py").write_text("ui = 2\n")  # not the engine: results stay valid
    assert runner.engine_fingerprint() == before
    # Forecasting is not what a tabular run runs.
    (package / "engine" / "forecasting").mkdir()
    (package / "engine" / "forecasting" / "job.py").write_text("f = 1\n")
    (package / "models" / "forecast.py").write_text("f = 1\n")
    assert runner.engine_fingerprint() == before
    (package / "engine" / "job.py").write_text("x = 2\n")
    assert runner.engine_fingerprint() != before


@pytest.mark.slow
def test_our_engine_runs_through_the_harness_and_resumes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The split is written here (wine needs only scikit-learn), so bench/.venv-data is not
    # needed; the run uses the project's own interpreter, as run.py does for ours.
    suite.write_split(suite.DATASETS["wine"], 0, tmp_path / "splits")
    # 20 s: with less, a machine busy with other work can end the job before its first model.
    argv = ["--datasets", "wine", "--budgets", "20", "--seeds", "0", "--tools", "ours"]
    argv += ["--results", str(tmp_path)]
    assert runner.main(argv) == 0
    records = [json.loads(line) for line in (tmp_path / "runs.jsonl").read_text().splitlines()]
    assert len(records) == 1
    record = records[0]
    assert record["status"] == "ok", record.get("error")
    assert record["tool_id"] == runner.tool_id("ours")
    assert 0.7 < record["score"] <= 1.0  # holdout accuracy on wine
    assert record["details"]["budget_resolved"]["max_job_runtime_seconds"] == 20
    assert record["peak_rss_mib"] > 50 and record["max_rss_single_mib"] > 50
    assert record["fit_seconds"] < record["process_seconds"]
    assert not (tmp_path / "work" / "20s" / "wine" / "seed0" / "ours").exists()  # cleaned up
    assert (tmp_path / "logs" / "20s-wine-seed0-ours.log").is_file()
    # Resumed: the recorded run is not repeated.
    capsys.readouterr()
    assert runner.main(argv) == 0
    assert len((tmp_path / "runs.jsonl").read_text().splitlines()) == 1
    assert "[1/1]" not in capsys.readouterr().out


def test_a_hanging_or_crashing_tool_is_recorded_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stand-in interpreters: one starts a child and hangs (the whole group must be killed),
    # one crashes. Real peers are not needed to check what the harness does with them.
    hang, crash = tmp_path / "hang.sh", tmp_path / "crash.sh"
    hang.write_text("#!/bin/sh\nsleep 60 &\necho training\nsleep 60\n")
    crash.write_text("#!/bin/sh\necho 'Traceback: out of ideas' >&2\nexit 3\n")
    for script in (hang, crash):
        script.chmod(0o755)
    monkeypatch.setitem(runner.PYTHONS, "flaml", hang)
    monkeypatch.setitem(runner.PYTHONS, "autogluon", crash)
    monkeypatch.setattr(runner, "TIMEOUT_FACTOR", 0)
    monkeypatch.setattr(runner, "TIMEOUT_EXTRA_SECONDS", 1)
    meta = suite.write_split(suite.DATASETS["wine"], 0, tmp_path / "splits")

    hung = runner.run_one(tmp_path, meta, "flaml", "pinned", 60, keep=False)
    assert hung["status"] == "timeout" and hung["timed_out"]
    assert hung["process_seconds"] < 10 and "training" in hung["error"]
    crashed = runner.run_one(tmp_path, meta, "autogluon", "pinned", 60, keep=False)
    assert crashed["status"] == "failed" and crashed["returncode"] == 3
    assert "out of ideas" in crashed["error"] and crashed["score"] is None
    # Both end as losses for no one: a peer without a score is not the best peer.
    ours = {**hung, "tool": "ours", "status": "ok", "score": 0.9}
    (row,) = scoring.summarize([ours, hung, crashed], ["ours", "flaml", "autogluon"], 60)
    assert row.scores == {"ours": 0.9, "flaml": None, "autogluon": None}
    assert (row.best_peer, row.verdict) == (None, "-")


# -- ablate.py: engine variants at equal CPU time --------------------------------------------
ablate = load_script("bench_engine_ablate", ENGINE_BENCH / "ablate.py")


def test_ablation_clock_is_cpu_time_and_the_report_compares_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    clock = ablate._cpu_clock()
    assert clock.perf_counter is time.process_time and clock.sleep is time.sleep
    # Every module that compares times with the job's deadline gets that clock.
    from jupyter_autopilot.engine import job  # noqa: F401  (imports what a job runs)

    patched = {module.__name__ for module in ablate._engine_modules()}
    assert {"bagging", "bagging_stage", "ensemble_stage", "sampling", "job", "tuning"} <= {
        name.rsplit(".", 1)[-1] for name in patched
    }
    rows = [
        # label, dataset, seed, metric, score
        ("before", "oj", 0, "roc_auc", 0.80),
        ("after", "oj", 0, "roc_auc", 0.88),
        ("before", "concrete", 0, "r2", 0.80),
        ("after", "concrete", 0, "r2", 0.90),
        ("after", "concrete", 1, "r2", 0.10),  # no "before" for seed 1: left out
    ]
    path = tmp_path / "ablation.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {"label": lb, "dataset": d, "seed": s, "metric": m, "score": v, "budget": 60}
                | {"trials": 10}
            )
            + "\n"
            for lb, d, s, m, v in rows
        )
    )
    ablate.report(path, ["before", "after"])
    printed = capsys.readouterr().out
    # oj: 0.88 / 0.80 = 1.1; concrete: residual 0.2 -> 0.1 = 2.0; mean 1.55.
    assert "after 1.5500" in printed and "before 1.0000" in printed
    assert "0.9000 (10)" in printed


def test_ablation_fingerprints_the_engine_it_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version measured from another checkout (first on PYTHONPATH) is recorded with
    that checkout's fingerprint, not with this one's."""
    import types

    other = tmp_path / "jupyter_autopilot"
    for name in ("engine/job.py", "models/m.py", "exceptions.py", "backends/local/backend.py"):
        (other / name).parent.mkdir(parents=True, exist_ok=True)
        (other / name).write_text("x = 'an older engine'\n")
    (other / "__init__.py").write_text("")
    module = types.ModuleType("jupyter_autopilot")
    module.__file__ = str(other / "__init__.py")
    monkeypatch.setitem(sys.modules, "jupyter_autopilot", module)
    assert ablate.measured_engine_fingerprint() == runner.engine_fingerprint(other)
    assert ablate.measured_engine_fingerprint() != runner.engine_fingerprint()
