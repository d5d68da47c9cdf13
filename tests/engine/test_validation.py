"""Create-time checks: every kind of bad input is refused with a message that says what to fix."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support.bad_inputs import BAD_INPUTS

from jupyter_autopilot.engine import JobConfig, preview_dataset, validate_job
from jupyter_autopilot.exceptions import InvalidDataset
from jupyter_autopilot.models import ColumnType, Compression


def _config(path: Path, tmp_path: Path, **kw) -> JobConfig:
    return JobConfig(
        data_path=path, output_dir=tmp_path / "out", target=kw.pop("target", "y"), **kw
    )


def _write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_with_a_helpful_message(case: str, tmp_path: Path) -> None:
    text, kw, expected = BAD_INPUTS[case]
    path = _write(tmp_path, text)
    with pytest.raises(InvalidDataset) as info:
        validate_job(_config(path, tmp_path, **kw))
    for fragment in expected:
        assert fragment in info.value.message, info.value.message


@pytest.mark.parametrize("case", ["misspelt target", "ragged rows", "constant target"])
def test_run_job_refuses_bad_input_too(case: str, tmp_path: Path) -> None:
    from jupyter_autopilot.engine import run_job

    text, kw, expected = BAD_INPUTS[case]
    path = _write(tmp_path, text)
    with pytest.raises(InvalidDataset) as info:
        run_job(_config(path, tmp_path, **kw))
    assert expected[0] in info.value.message


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataset, match="does not exist"):
        validate_job(_config(tmp_path / "nope.csv", tmp_path))


def test_bank_file_flags_duration(bank_csv: Path, tmp_path: Path) -> None:
    warnings = validate_job(_config(bank_csv, tmp_path))
    by_column = {w.column: w for w in warnings}
    assert by_column["duration"].code in {"post_outcome_feature", "target_leakage"}
    assert "Exclude 'duration'" in (by_column["duration"].suggestion or "")
    assert any(w.code == "class_imbalance" for w in warnings)
    # Excluding it removes the warning.
    warnings = validate_job(_config(bank_csv, tmp_path, exclude_columns=["duration"]))
    assert "duration" not in {w.column for w in warnings}


def test_leaky_copy_of_the_target_is_flagged(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, size=300)
    frame = pd.DataFrame(
        {"noise": rng.normal(size=300), "copy": np.where(y == 1, "paid", "unpaid"), "y": y}
    )
    path = tmp_path / "leak.csv"
    frame.to_csv(path, index=False)
    warnings = validate_job(_config(path, tmp_path))
    assert [w.column for w in warnings if w.code == "target_leakage"] == ["copy"]


def test_preview_of_bank_file(bank_csv: Path) -> None:
    preview = preview_dataset(
        bank_csv, rows=10, display_uri="bank-additional/bank-additional-full.csv"
    )
    assert preview.delimiter == ";" and preview.has_header and preview.encoding == "utf-8"
    assert preview.compression is Compression.none
    assert preview.total_rows == 41188 and preview.rows_scanned == 41188
    assert (
        len(preview.rows) == 10 and preview.rows[0][0] == "56" and preview.rows[0][1] == "housemaid"
    )
    types = {c.name: c.inferred_type for c in preview.columns}
    assert types["age"] is ColumnType.numeric and types["job"] is ColumnType.categorical
    assert types["y"] is ColumnType.boolean
    assert preview.uri == "bank-additional/bank-additional-full.csv"


def test_preview_gzip_headerless_missing_and_types(tmp_path: Path) -> None:
    rows = [
        f"{i},{'' if i % 5 == 0 else i * 0.5},2021-03-{(i % 28) + 1:02d},{'red' if i % 2 else 'blue'},word{i} and some words,7"
        for i in range(1, 60)
    ]
    path = tmp_path / "data.csv.gz"
    path.write_bytes(gzip.compress(("\n".join(rows) + "\n").encode()))
    preview = preview_dataset(path, rows=5)
    assert preview.compression is Compression.gzip and preview.delimiter == ","
    assert not preview.has_header and any("header" in w for w in preview.warnings)
    assert [c.name for c in preview.columns][:2] == ["column_1", "column_2"]
    by_name = {c.name: c for c in preview.columns}
    assert by_name["column_2"].missing_count == 11 and preview.rows[4][1] is None
    assert by_name["column_1"].inferred_type is ColumnType.id
    assert by_name["column_3"].inferred_type is ColumnType.datetime
    assert (
        by_name["column_4"].inferred_type is ColumnType.boolean
        or by_name["column_4"].inferred_type is ColumnType.categorical
    )
    assert by_name["column_5"].inferred_type is ColumnType.text
    assert by_name["column_6"].inferred_type is ColumnType.constant


def test_preview_explicit_delimiter_and_quotes(tmp_path: Path) -> None:
    path = _write(tmp_path, 'name|note|y\n"Smith, J"|"says ""hi"""|1\n"Doe"|"x|y"|0\n')
    preview = preview_dataset(path, delimiter="|")
    assert preview.rows == [["Smith, J", 'says "hi"', "1"], ["Doe", "x|y", "0"]]


def test_windows_1252_file_is_read(tmp_path: Path) -> None:
    text = "name;y\n" + "\n".join(f"caf\u00e9 {i % 3};{i % 2}" for i in range(30)) + "\n"
    path = _write(tmp_path, text.encode("cp1252"))
    preview = preview_dataset(path)
    assert preview.encoding == "cp1252" and preview.rows[0][0] == "caf\u00e9 0"


def test_a_late_windows_1252_character_is_read_and_recorded(tmp_path: Path) -> None:
    """The first non-ASCII byte comes after the sniffed sample: the whole file is still
    read as Windows-1252, and the format says so, so that the notebooks (which read the
    file with `read_csv_options(fmt)`) decode it as the engine did."""
    from jupyter_autopilot.engine.data import SNIFF_BYTES, load_table
    from jupyter_autopilot.engine.notebooks.common import read_csv_options

    rows = [f"plain {i % 7};{i % 2}" for i in range(SNIFF_BYTES // 8)]
    rows[-1] = "caf\u00e9;1"
    path = _write(tmp_path, ("name;y\n" + "\n".join(rows) + "\n").encode("cp1252"))
    frame, fmt = load_table(path)
    assert fmt.encoding == "cp1252" and frame["name"].iloc[-1] == "caf\u00e9"
    again = pd.read_csv(path, **read_csv_options(fmt))
    pd.testing.assert_frame_equal(again, frame)


def test_reading_a_file_holds_no_copy_of_its_text(tmp_path: Path) -> None:
    """The file is parsed in chunks: no whole copy of its bytes or text (nor io.StringIO's
    four-bytes-a-character buffer of it) is ever allocated beside the frame. Decoding it
    whole cost over five times the file's size in Python allocations."""
    import tracemalloc

    from jupyter_autopilot.engine.data import load_table

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(np.round(rng.standard_normal((40_000, 6)), 4), columns=list("abcdef"))
    frame["y"] = rng.integers(0, 2, len(frame))
    path = tmp_path / "numbers.csv"
    frame.to_csv(path, index=False)
    load_table(path)  # imports and caches outside the measurement
    tracemalloc.start()
    try:
        read, _ = load_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(read) == len(frame)
    assert peak < 2 * path.stat().st_size, (peak, path.stat().st_size)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os
    import threading

    os.mkfifo(tmp_path / "data.csv")  # nobody ever writes to it
    errors: list[BaseException] = []

    def read() -> None:
        try:
            validate_job(_config(tmp_path / "data.csv", tmp_path))
        except BaseException as error:
            errors.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading the FIFO blocked"
    assert isinstance(errors[0], InvalidDataset)
    assert "named pipe (FIFO), not a regular file" in errors[0].message
    with pytest.raises(InvalidDataset, match="is a folder"):
        preview_dataset(tmp_path)


def _rows(header: str, n: int = 40) -> str:
    lines = [header] + [f"{i},{i % 5},{i % 3},{'yes' if i % 2 else 'no'}" for i in range(n)]
    return "\n".join(lines) + "\n"


def test_repeated_and_missing_header_names_keep_the_header(tmp_path: Path) -> None:
    # A repeated name, and an index written by pandas (no name) plus a blank name.
    path = _write(tmp_path, _rows("a,a,a_2,y"))
    preview = preview_dataset(path)
    assert preview.has_header
    assert [c.name for c in preview.columns] == ["a", "a_2_", "a_2", "y"]
    assert preview.columns[0].dtype == "int64"  # numbers: the header row is not data
    assert preview.rows[0] == ["0", "0", "0", "no"]  # the header is not a data row
    assert any("names 'a' 2 times" in w and "'a_2_'" in w for w in preview.warnings)
    warnings = validate_job(_config(path, tmp_path))
    assert [w.code for w in warnings if w.code == "column_names"] == ["column_names"]

    path = _write(tmp_path, _rows(", b , ,y"), "indexed.csv")
    preview = preview_dataset(path)
    assert preview.has_header and [c.name for c in preview.columns] == [
        "column_1",
        "b",
        "column_3",
        "y",
    ]
    assert "Column 1 has no name in the header row; it is called 'column_1'." in preview.warnings
    assert not any("No header row" in w for w in preview.warnings)


def test_a_first_row_of_data_is_still_data(tmp_path: Path) -> None:
    path = _write(tmp_path, "".join(f"{i},{i % 2},x,x\n" for i in range(30)), "plain.csv")
    preview = preview_dataset(path)
    assert not preview.has_header
    assert [c.name for c in preview.columns] == ["column_1", "column_2", "column_3", "column_4"]
