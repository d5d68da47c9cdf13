"""The `jupyter-autopilot` command: preview and a pilot run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from engine_testdata import mixed_frame

from jupyter_autopilot.engine.cli import main


def test_preview_prints_format_columns_and_rows(tmp_path: Path, capsys) -> None:
    path = tmp_path / "data.csv"
    mixed_frame(60).to_csv(path, index=False, sep=";")
    assert main(["preview", str(path), "--rows", "3"]) == 0
    out = capsys.readouterr().out
    assert "delimiter ';'" in out and "60 rows" in out
    assert "city" in out and "categorical" in out and "review" in out and "text" in out


def test_pilot_run_prints_stages(tmp_path: Path, capsys) -> None:
    path = tmp_path / "data.csv"
    mixed_frame(120).to_csv(path, index=False)
    out_dir = tmp_path / "out"
    code = main(
        [
            "run",
            str(path),
            "--target",
            "label",
            "--exclude",
            "review",
            "--pilot",
            "--output",
            str(out_dir),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Pre-processing: done" in out and "Candidate Definitions Generated: done" in out
    assert "Model Tuning: skipped" in out
    assert (out_dir / "candidate_definitions.ipynb").is_file()


def test_the_command_leaves_out_the_slow_iri_grammar(tmp_path: Path) -> None:
    """`jupyter-autopilot run` is a process of its own: like the server's workers it keeps
    out rfc3987_syntax (seconds of Lark grammars that jsonschema would build for formats no
    notebook uses), and still writes valid notebooks."""
    path = tmp_path / "data.csv"
    mixed_frame(120).to_csv(path, index=False)
    out_dir = tmp_path / "out"
    args = ["run", str(path), "--target", "label", "--pilot", "--output", str(out_dir)]
    code = (
        "import sys\n"
        "from jupyter_autopilot.engine.cli import main\n"
        f"code = main({args!r})\n"
        "print(code, sys.modules.get('rfc3987_syntax', 'absent'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.splitlines()[-1] == "0 None", done.stdout + done.stderr
    import nbformat

    nbformat.validate(nbformat.read(out_dir / "candidate_definitions.ipynb", as_version=4))


def test_reproducible_run_ignores_the_time_limit(tmp_path: Path, capsys) -> None:
    path = tmp_path / "data.csv"
    mixed_frame(120).to_csv(path, index=False)
    args = ["run", str(path), "--target", "label", "--exclude", "review"]
    args += ["--max-candidates", "3", "--max-runtime", "1", "--max-trial-runtime", "1"]
    code = main([*args, "--reproducible", "--output", str(tmp_path / "out")])
    assert code == 0
    board = json.loads((tmp_path / "out" / "reports" / "leaderboard.json").read_text())
    trials = [c for c in board["candidates"] if c["definition"] not in ("ensemble", "bagged")]
    assert len(trials) == 3  # one second would not have allowed three trials and finishing


def test_bad_target_is_an_error_message(tmp_path: Path, capsys) -> None:
    path = tmp_path / "data.csv"
    mixed_frame(60).to_csv(path, index=False)
    assert (
        main(["run", str(path), "--target", "lable", "--pilot", "--output", str(tmp_path / "o")])
        == 2
    )
    assert "did you mean 'label'" in capsys.readouterr().err


def test_run_reruns_a_sagemaker_candidate_notebook(
    tmp_path: Path, capsys, bank_sample_csv: Path
) -> None:

    from support.autopilot_notebook import write_bank_notebook

    notebook = write_bank_notebook(tmp_path / "job")
    out_dir = tmp_path / "out"
    code = main(
        [
            "run",
            str(bank_sample_csv),
            "--sagemaker-notebook",
            str(notebook),
            "--pilot",
            "--output",
            str(out_dir),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "SageMaker Autopilot job bank-autopilot: target y" in out
    assert "dpp2-linear-learner" in out and "RobustPCA is not reproduced" in out
    assert "3 candidate definitions: dpp0-xgboost, dpp1-xgboost, dpp2-linear-learner" in out
    assert main(["run", str(bank_sample_csv), "--output", str(out_dir)]) == 2
    assert "--target" in capsys.readouterr().err


def test_sample_copies_the_tutorial_data_without_a_server(tmp_path: Path, capsys) -> None:
    from jupyter_autopilot.samples import BANK_MARKETING

    folder = tmp_path / "data"
    assert main(["sample", "bank-marketing", str(folder)]) == 0
    out = capsys.readouterr().out
    copied = folder / "bank-additional-full.csv"
    assert copied.read_bytes() == BANK_MARKETING.read_csv()
    assert f"{copied} (written)" in out
    assert "CC-BY-4.0" in out and "Decision Support Systems" in out
    assert "Leave out 'duration'" in out
    assert f"Next: jupyter-autopilot run {copied} --target y --exclude duration" in out

    # Again: the identical copy is reused; a file of the user's is never overwritten.
    assert main(["sample", "bank-marketing", str(folder)]) == 0
    assert "an identical copy was already there" in capsys.readouterr().out
    copied.write_text("mine")
    assert main(["sample", "bank-marketing", str(folder)]) == 0
    assert "bank-additional-full (1).csv (written)" in capsys.readouterr().out
    assert copied.read_text() == "mine"


def test_sample_lists_and_explains_mistakes(tmp_path: Path, capsys) -> None:
    assert main(["sample"]) == 0
    assert "bank-marketing: Bank marketing" in capsys.readouterr().out
    assert main(["sample", "titanic", str(tmp_path)]) == 2
    assert "the samples are: bank-marketing" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["sample", "bank-marketing", str(tmp_path / "file")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
