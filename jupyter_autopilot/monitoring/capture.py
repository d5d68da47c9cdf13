"""Data capture files: one JSON line per captured invocation, in hourly files
(`capture/YYYY/MM/DD/HH.jsonl`, like SageMaker's S3 layout)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where frames are built: the Jupyter server reads capture files (counts,
    # the newest records) without pandas, whose import costs a second at every start.
    import pandas as pd

#: Rows kept per captured request: a 10,000-row batch should not write megabytes.
MAX_ROWS_PER_RECORD = 1000


def _hour_file(root: Path, when: datetime) -> Path:
    return root / f"{when:%Y}" / f"{when:%m}" / f"{when:%d}" / f"{when:%H}.jsonl"


def write_record(
    root: Path,
    content_type: str,
    frame: pd.DataFrame,
    outputs: dict[str, list[Any]],
    variant: str | None = None,
    captured_at: datetime | None = None,
) -> None:
    """Append one invocation (its parsed input rows and the model's answers); the time is
    now unless given (records converted from SageMaker's capture files keep theirs)."""
    now = captured_at or datetime.now(timezone.utc)
    head = frame.head(MAX_ROWS_PER_RECORD)
    rows = head.astype(object).where(head.notna(), None).to_numpy().tolist()
    record = {
        "captured_at": now.isoformat(),
        "content_type": content_type,
        "columns": [str(c) for c in head.columns],
        "rows": rows,
        "outputs": {key: values[:MAX_ROWS_PER_RECORD] for key, values in outputs.items()},
        "truncated": len(frame) > MAX_ROWS_PER_RECORD,
    }
    if variant is not None:
        record["variant"] = variant
    path = _hour_file(root, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, default=str, allow_nan=False) + "\n"
    # One write per line in append mode: concurrent writers never interleave a line.
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)


def iter_records(root: Path, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    """Captured records, oldest first; lines cut short by a crash are skipped."""
    if not root.is_dir():
        return
    floor = since.strftime("%Y/%m/%d/%H") if since else ""
    for path in sorted(root.glob("*/*/*/*.jsonl")):
        stamp = path.relative_to(root).with_suffix("").as_posix()
        if stamp < floor:
            continue
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                    when = datetime.fromisoformat(record["captured_at"])
                except (ValueError, KeyError, TypeError):
                    continue
                if since is None or when >= since:
                    record["captured_at"] = when
                    yield record


def capture_stats(root: Path) -> tuple[int, int, datetime | None]:
    """(records, rows, time of the last record) of everything captured."""
    records = rows = 0
    last = None
    for record in iter_records(root):
        records += 1
        rows += len(record.get("rows", []))
        last = record["captured_at"]
    return records, rows, last


def records_frames(
    records: list[dict[str, Any]], feature_columns: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Input rows (raw values, feature columns in training order) and output rows."""
    import pandas as pd

    inputs: list[pd.DataFrame] = []
    outputs: list[pd.DataFrame] = []
    for record in records:
        frame = pd.DataFrame(record.get("rows", []), columns=record.get("columns"), dtype=object)
        inputs.append(frame.reindex(columns=feature_columns))
        outputs.append(pd.DataFrame(record.get("outputs", {})).head(len(frame)))
    if not inputs:
        return pd.DataFrame(columns=feature_columns, dtype=object), pd.DataFrame()
    return (
        pd.concat(inputs, ignore_index=True),
        pd.concat(outputs, ignore_index=True),
    )


def record_rows(record: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A record's inputs and outputs as lists of dicts (one per row)."""
    columns = record.get("columns", [])
    inputs = [dict(zip(columns, row, strict=False)) for row in record.get("rows", [])]
    outs = record.get("outputs", {})
    n = len(inputs)
    outputs = [
        {key: values[i] for key, values in outs.items() if i < len(values)} for i in range(n)
    ]
    return inputs, outputs
