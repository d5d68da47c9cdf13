"""Batch predictions on local endpoints: a CSV file under the root streamed through an
endpoint in chunks, the input's columns plus the predictions written to an output file
(for a forecaster's endpoint: the input names the items, the output is their tidy forecast).

The output goes through the write policy of `...paths` (checked before the 202, written
to a hidden temporary file, published at the end); a batch interrupted by a server stop
or crash is recorded as Failed at the next start and its temporary file removed.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import models as m
from ...exceptions import AutopilotError
from ...paths import (
    OutputTarget,
    existing_file,
    remove_temporaries,
    resolve_output_path,
    resolve_under_root,
    scrub_paths,
    to_api_path,
)
from ...serving.content import CSV, sniff_delimiter
from .store import Store

if TYPE_CHECKING:
    import pandas as pd

    from .endpoints import EndpointManager


#: Rows per request when a batch prediction streams a file through an endpoint.
BATCH_CHUNK_ROWS = 20000


class BatchPredictions:
    """Start, run and describe batch predictions through the endpoints of `endpoints`."""

    def __init__(self, endpoints: EndpointManager, store: Store, root_dir: Path, work_dir: Path):
        self.endpoints = endpoints
        self.store = store
        self.root_dir = root_dir
        self.work_dir = work_dir
        self._tasks: dict[str, asyncio.Task[None]] = {}
        #: Batches a user asked to stop (checked between chunks; see `_run`).
        self._stopping: set[str] = set()

    def running(self) -> list[asyncio.Task[None]]:
        """The tasks of the batches running in this server (to cancel at shutdown)."""
        return list(self._tasks.values())

    async def interrupt_unfinished(self) -> None:
        """Record batch predictions still marked InProgress as Failed, saying why, and
        remove the half-written output a killed server left (a hidden temporary file)."""
        for batch in await asyncio.to_thread(self.store.unfinished_batches):
            if batch.output_path:
                await asyncio.to_thread(_remove_unfinished_output, self.root_dir, batch.output_path)
            done = f"{batch.rows_done:,} of {batch.rows_total:,}" if batch.rows_total else "some"
            reason = (
                f"The Jupyter server stopped while this batch prediction was running "
                f"({done} rows done); start it again."
            )
            await asyncio.to_thread(
                self.store.save_batch,
                batch.model_copy(
                    update={
                        "status": m.BatchStatus.Failed,
                        "failure_reason": reason,
                        "ended_at": m.utcnow(),
                    }
                ),
            )

    async def start(self, name: str, request: m.BatchPredictionRequest) -> m.BatchPrediction:
        """Check the request (paths, a serving endpoint), record the batch and start it."""
        await self.endpoints.require_live(name)
        source, target = await asyncio.to_thread(self._paths, request)
        batch = m.BatchPrediction(
            id=uuid.uuid4().hex[:12],
            endpoint=name,
            status=m.BatchStatus.InProgress,
            input_path=to_api_path(self.root_dir, source),
            output_path=target.shown,
            created_at=m.utcnow(),
        )
        await asyncio.to_thread(self.store.save_batch, batch)
        keys = request.inference_response_keys
        task = asyncio.ensure_future(self._run(batch, source, target, keys))
        self._tasks[batch.id] = task
        task.add_done_callback(lambda _: self._tasks.pop(batch.id, None))
        return batch

    def _paths(self, request: m.BatchPredictionRequest) -> tuple[Path, OutputTarget]:
        """The input file and the checked output (the write policy of `paths`)."""
        source = existing_file(
            self.root_dir, request.input_path, what="input file", work_dir=self.work_dir
        )
        if request.output_path:
            output_path = request.output_path
        else:
            name = re.sub(r"(\.csv)?(\.gz)?$", "", source.name) + ".predictions.csv"
            output_path = to_api_path(self.root_dir, source.with_name(name))
        target = resolve_output_path(
            self.root_dir,
            self.work_dir,
            output_path,
            what="output file",
            overwrite=request.overwrite,
            inputs=[source],
        )
        return source, target

    async def _run(
        self,
        batch: m.BatchPrediction,
        source: Path,
        target: OutputTarget,
        keys: list[m.InferenceKey] | None,
    ) -> None:
        import pandas as pd

        writer = target.writer()
        try:
            text_head = await asyncio.to_thread(_head, source)
            delimiter = sniff_delimiter(text_head)
            total = await asyncio.to_thread(_count_rows, source)
            batch = batch.model_copy(update={"rows_total": total})
            await asyncio.to_thread(self.store.save_batch, batch)
            reader = pd.read_csv(
                source,
                sep=delimiter,
                chunksize=BATCH_CHUNK_ROWS,
                dtype=str,
                keep_default_na=False,
                # Missing or repeated header names as training named them (x, x_2...).
                names=_header_names(text_head, delimiter),
                header=0,
                index_col=False,
            )
            binary = await asyncio.to_thread(writer.open)
            out_file = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=True)
            done, first = 0, True
            iterator = iter(reader)
            while True:
                # Stopped between chunks, not by cancelling: a cancelled await leaves
                # its thread writing, and the temporary file must go after it.
                if batch.id in self._stopping:
                    raise _StoppedByUser
                chunk = await asyncio.to_thread(next, iterator, None)
                if chunk is None:
                    break
                body = await asyncio.to_thread(_csv_bytes, chunk)
                answer, _, _ = await self.endpoints.invoke(
                    batch.endpoint, body, CSV, "application/json", keys
                )
                answered = json.loads(answer)
                if "forecasts" in answered:
                    # A forecaster's endpoint: the input names items (and their future
                    # related values); the output is the tidy forecast of those items.
                    out = pd.DataFrame.from_records(answered["forecasts"])
                else:
                    predictions = pd.DataFrame(answered["predictions"], index=chunk.index)
                    for column in predictions.columns:
                        values = predictions[column]
                        if values.map(lambda v: isinstance(v, list)).any():
                            predictions[column] = values.map(json.dumps)
                    out = pd.concat([chunk, predictions], axis=1)
                await asyncio.to_thread(
                    out.to_csv, out_file, sep=delimiter, index=False, header=first
                )
                first = False
                done += len(chunk)
                batch = batch.model_copy(update={"rows_done": done})
                await asyncio.to_thread(self.store.save_batch, batch)
            out_file.detach()  # flushes into the writer's file, which commit() closes
            final = await asyncio.to_thread(writer.commit)
            update: dict[str, Any] = {"status": m.BatchStatus.Completed, "ended_at": m.utcnow()}
            if final != target.path:
                # A file took the name while the batch ran: it was kept, and the
                # predictions went to a free name next to it.
                update["output_path"] = to_api_path(self.root_dir, final)
                update["details"] = {
                    "note": f"{target.shown!r} appeared while the batch ran and was left as "
                    f"it is; the predictions are in {update['output_path']!r}."
                }
            batch = batch.model_copy(update=update)
        except asyncio.CancelledError:
            await asyncio.to_thread(writer.discard)
            raise  # the server is stopping: the next start records it as interrupted
        except _StoppedByUser:
            progress = f"{batch.rows_done:,} of {batch.rows_total:,}" if batch.rows_total else "no"
            batch = batch.model_copy(
                update={
                    "status": m.BatchStatus.Failed,
                    "failure_reason": f"Stopped by the user after {progress} rows; no output "
                    "file was written.",
                    "ended_at": m.utcnow(),
                }
            )
        except Exception as error:
            reason = (
                error.message
                if isinstance(error, AutopilotError)
                else f"{type(error).__name__}: {error}"
            )
            batch = batch.model_copy(
                update={
                    "status": m.BatchStatus.Failed,
                    "failure_reason": scrub_paths(reason, self.root_dir, self.work_dir),
                    "ended_at": m.utcnow(),
                }
            )
        await asyncio.to_thread(writer.discard)
        await asyncio.to_thread(self.store.save_batch, batch)

    async def describe(self, batch_id: str) -> m.BatchPrediction:
        return await asyncio.to_thread(self.store.batch, batch_id)

    async def stop(self, batch_id: str) -> m.BatchPrediction:
        """Stop a running batch: it ends Failed, saying so, and its partial output is
        removed (the output name stays free). A finished batch is returned as it is."""
        batch = await self.describe(batch_id)  # 404 for an unknown id
        task = self._tasks.get(batch_id)
        if task is None or task.done():
            return batch
        self._stopping.add(batch_id)
        try:
            await asyncio.wait([task])  # at most one chunk's time
        finally:
            self._stopping.discard(batch_id)
        return await self.describe(batch_id)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """Rows as CSV with a header, the body an endpoint is sent."""
    return frame.to_csv(index=False).encode()


class _StoppedByUser(Exception):
    """A user asked `BatchPredictions.stop` to stop this batch."""


def _remove_unfinished_output(root: Path, output_path: str) -> None:
    try:
        remove_temporaries(resolve_under_root(root, output_path, what="output file"))
    except AutopilotError:
        pass  # a path the root no longer holds: there is nothing of ours to remove


def _header_names(text: str, delimiter: str) -> list[str] | None:
    """The names training gave the header of a file whose header has missing or repeated
    names (`engine.data.unique_column_names`); None when the header is fine as it is."""
    import csv

    from ...engine.data import unique_column_names

    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    names, changes = unique_column_names(header)
    return names if changes else None


def _head(path: Path) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read(64 * 1024)


def _count_rows(path: Path) -> int:
    with open(path, "rb") as handle:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    return max(0, lines - 1)
