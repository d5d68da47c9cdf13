"""Batch predictions on SageMaker: a transform job (CreateTransformJob) with the model of
a deployed endpoint, over a CSV on S3 or a file under the root uploaded for it.

Autopilot's inference containers read CSV rows without a header, so an uploaded file
goes up without its header row (and with commas, as Autopilot reads); the job joins
each input row with its prediction (`DataProcessing.JoinSource = Input`) and the
result is downloaded, once the job is Completed, to a file under the root through the
write policy of `...paths`, with the header put back: the input's columns, then the
endpoint's response keys. Progress is the job's status (DescribeTransformJob has no
row count); the rows are counted when the result arrives.

Every parameter is checked against botocore's model by the fake the tests use; the
rules it follows are in docs/sagemaker.md ("AWS rules we enforce").
"""

from __future__ import annotations

import csv
import functools
import io
import re
import tempfile
import uuid
from pathlib import Path, PurePosixPath
from typing import Any

from ... import models as m
from ...exceptions import AutopilotError, Conflict, InvalidRequest, NotFound
from ...paths import existing_file, resolve_output_path, to_api_path
from . import s3
from . import tags as t
from .datasets import detect_delimiter
from .dry_run import details_for
from .serving import Endpoints
from .shared import Part, Shared
from .store import BatchRecord, ForecasterRecord
from .validation import operation_model

#: Instance types for transform jobs (TransformInstanceType in botocore's model); an
#: endpoint on a type transform jobs do not offer (ml.t2.*, ml.c5.large...) falls back.
DEFAULT_TRANSFORM_INSTANCE = "ml.m5.large"
#: MaxPayloadInMB: SageMaker's default 6 MB (at most 100, and MaxConcurrentTransforms x
#: MaxPayloadInMB at most 100: CreateTransformJob's API reference).
MAX_PAYLOAD_MB = 6
#: TransformJobName: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}, 1-63 characters.
_NAME_CHARS = re.compile(r"[^a-zA-Z0-9-]+")
S3_URI_MAX = 1024
#: A forecaster's batch input files: whole items, each file one request of at most
#: MaxPayloadInMB (100 MB, CreateTransformJob's ceiling; "the maximum size of the input
#: data per invocation is 100 MB", amazon-sagemaker-examples autopilot_time_series).
FORECAST_PAYLOAD_MB = 100
FORECAST_FILE_BYTES = 90 * 2**20

_STATUS = {
    "InProgress": m.BatchStatus.InProgress,
    "Stopping": m.BatchStatus.InProgress,
    "Completed": m.BatchStatus.Completed,
    "Failed": m.BatchStatus.Failed,
    "Stopped": m.BatchStatus.Failed,
}


def transform_job_name(endpoint: str, batch_id: str) -> str:
    """`<endpoint>-batch-<id>`, cut to SageMaker's 63 characters and its pattern."""
    stem = _NAME_CHARS.sub("-", endpoint).strip("-")[: 63 - len("-batch-") - len(batch_id)]
    stem = re.sub(r"-+$", "", stem) or "autopilot"
    return f"{stem}-batch-{batch_id}"


@functools.cache
def transform_instance_types() -> frozenset[str]:
    """TransformInstanceType's values in botocore's service model."""
    shape: Any = operation_model("sagemaker", "CreateTransformJob").input_shape
    return frozenset(shape.members["TransformResources"].members["InstanceType"].enum)


def transform_instance_type(endpoint_type: str | None) -> str:
    """The endpoint's instance type when transform jobs offer it, else ml.m5.large."""
    if endpoint_type and endpoint_type in transform_instance_types():
        return endpoint_type
    return DEFAULT_TRANSFORM_INSTANCE


def headerless_commas(source: Path, target: Path) -> tuple[list[str], int]:
    """Copy a CSV without its header row, comma-separated; returns (header, data rows)."""
    with source.open(newline="", encoding="utf-8", errors="replace") as src:
        delimiter = detect_delimiter(src.read(64 * 1024))
    rows = 0
    with (
        source.open(newline="", encoding="utf-8", errors="replace") as src,
        target.open("w", newline="", encoding="utf-8") as dst,
    ):
        reader = csv.reader(src, delimiter=delimiter)
        header = next(reader, None)
        if not header:
            raise InvalidRequest(f"{source.name} is empty: it needs a header row and data rows.")
        writer = csv.writer(dst, lineterminator="\n")
        for row in reader:
            if row:
                writer.writerow(row)
                rows += 1
    if rows == 0:
        raise InvalidRequest(f"{source.name} has a header row but no data rows to predict.")
    return header, rows


class BatchTransforms(Part):
    """Start, follow, finish (download) and stop batch predictions as transform jobs."""

    def __init__(self, shared: Shared, endpoints: Endpoints):
        super().__init__(shared)
        self.endpoints = endpoints

    @property
    def _root(self) -> Path:
        return self.shared.context.root_dir

    @property
    def _work(self) -> Path:
        return self.shared.context.work_dir

    async def start(self, name: str, request: m.BatchPredictionRequest) -> m.BatchPrediction:
        """Check everything (endpoint, model, input, output path), upload a root file,
        then CreateTransformJob; the answer is the batch InProgress."""
        deployed = self.store.endpoints().get(name)
        forecaster = deployed.forecaster if deployed is not None else None
        endpoint = await self.endpoints.describe_endpoint(name)
        if not endpoint.model_name:
            raise Conflict(
                f"The endpoint {name!r} has no model this server can find; deploy a candidate "
                "again to run batch predictions."
            )
        from_s3 = request.input_path.startswith("s3://")
        # Everything is checked before the upload and the job (nothing to undo on a 4xx).
        if from_s3:
            if len(request.input_path) > S3_URI_MAX:
                raise InvalidRequest(
                    f"The input S3 URI has {len(request.input_path)} characters; SageMaker "
                    f"accepts at most {S3_URI_MAX}."
                )
            s3.parse_s3_uri(request.input_path, what="input S3 URI")
            source = None
            default_name = PurePosixPath(request.input_path).name or "batch"
        else:
            source = existing_file(
                self._root, request.input_path, what="input file", work_dir=self._work
            )
            default_name = source.name
        output_path = request.output_path or _default_output(
            request.input_path if not from_s3 else default_name, from_s3
        )
        # Checked now (409 for an existing file without overwrite), written at the end.
        resolve_output_path(
            self._root,
            self._work,
            output_path,
            what="output file",
            overwrite=request.overwrite,
            inputs=[source] if source else [],
        )
        with self.aws.recorder.collect() as requests:
            if forecaster is not None:
                batch, record = await self._start_forecast(
                    name, request, endpoint, forecaster, source, output_path
                )
            else:
                batch, record = await self._start_job(name, request, endpoint, source, output_path)
        if self.aws.dry_run:
            # Nothing was uploaded or created: the answer shows what would have been.
            batch.details.update(details_for(requests))
        else:
            await self.aws.run(self.store.save_batch, record)
        return batch

    async def _start_job(
        self,
        name: str,
        request: m.BatchPredictionRequest,
        endpoint: m.Endpoint,
        source: Path | None,
        output_path: str,
    ) -> tuple[m.BatchPrediction, BatchRecord]:
        """Upload a root input (header-less, commas), then CreateTransformJob."""
        batch_id, bucket, prefix = await self._location()
        header: list[str] = list(endpoint.input_columns)
        rows_total: int | None = None
        if source is not None:
            header, rows_total, input_uri = await self.aws.run(
                self._upload, source, bucket, s3.join_key(prefix, "input", source.name)
            )
        else:
            input_uri = request.input_path
        keys = endpoint.inference_response_keys
        if request.inference_response_keys and request.inference_response_keys != keys:
            # The model's containers answer with the keys chosen at deployment.
            raise InvalidRequest(
                f"A batch prediction on SageMaker answers with the keys {name!r} was deployed "
                f"with ({', '.join(k.value for k in keys) or 'its default'}); leave "
                "inference_response_keys out, or deploy again with the keys you want."
            )
        header = [*header, *(k.value for k in keys)] if keys else header
        return await self._create_job(
            name,
            request,
            endpoint,
            output_path,
            (batch_id, bucket, prefix),
            input_uri,
            rows_total=rows_total,
            header=header,
        )

    async def _location(self) -> tuple[str, str, str]:
        """(batch id, bucket, key prefix) of a new batch's files on S3."""
        batch_id = uuid.uuid4().hex[:12]
        bucket = await self.aws.run(self.aws.ensure_bucket_sync)
        return (
            batch_id,
            bucket,
            s3.join_key(self.shared.settings.s3_prefix, "batch", batch_id) + "/",
        )

    async def _create_job(
        self,
        name: str,
        request: m.BatchPredictionRequest,
        endpoint: m.Endpoint,
        output_path: str,
        location: tuple[str, str, str],
        input_uri: str,
        *,
        rows_total: int | None,
        header: list[str] | None = None,
        forecaster: ForecasterRecord | None = None,
        details: dict[str, str] | None = None,
    ) -> tuple[m.BatchPrediction, BatchRecord]:
        """CreateTransformJob over `input_uri` with the endpoint's model; the batch it
        starts and the record that finishing it needs."""
        batch_id, bucket, prefix = location
        job_name = transform_job_name(name, batch_id)
        output_s3 = s3.s3_uri(bucket, s3.join_key(prefix, "output")) + "/"
        params = self.job_request(
            job_name,
            endpoint.model_name or "",  # checked in start()
            input_uri,
            output_s3,
            transform_instance_type(endpoint.instance_type),
            t.aws_tags({t.CREATED_BY: "jupyter-autopilot", **_experiment_tag(endpoint.experiment)}),
            forecaster=forecaster is not None,
        )
        await self.aws.call("sagemaker", "CreateTransformJob", f"create {job_name}", **params)
        batch = m.BatchPrediction(
            id=batch_id,
            endpoint=name,
            status=m.BatchStatus.InProgress,
            input_path=request.input_path,
            output_path=output_path,
            rows_total=rows_total,
            created_at=m.utcnow(),
            details={
                "transform_job": job_name,
                "s3_output": output_s3,
                "s3_input": input_uri,
                **(details or {}),
            },
        )
        record = BatchRecord(
            batch=batch,
            job_name=job_name,
            experiment=endpoint.experiment,
            s3_prefix=s3.s3_uri(bucket, prefix),
            output_s3=output_s3,
            header=header or [],
            overwrite=request.overwrite,
            forecaster=forecaster,
        )
        return batch, record

    async def _start_forecast(
        self,
        name: str,
        request: m.BatchPredictionRequest,
        endpoint: m.Endpoint,
        forecaster: ForecasterRecord,
        source: Path | None,
        output_path: str,
    ) -> tuple[m.BatchPrediction, BatchRecord]:
        """A forecaster's batch: the input names the items (an `item_id` column, and with
        related columns their future rows), as on the local backend; each item's history
        from the training data goes up as Autopilot's CSV, in files of whole items, and one
        transform job forecasts them all (`_download` writes the tidy forecast)."""
        from ...serving.forecast import parse_request
        from . import forecast_serving

        if request.inference_response_keys:
            raise InvalidRequest(
                "A forecaster answers each step's quantiles and mean; leave "
                "inference_response_keys out.",
                details=[{"field": "inference_response_keys"}],
            )
        text = await self.aws.run(self._read_input, request.input_path, source)
        history = await self.endpoints.history(forecaster)

        def prepare() -> tuple[list[str], list[bytes]]:
            """The items and the input files (pandas: in the thread pool)."""
            items, future = parse_request(text, "text/csv")
            wanted = forecast_serving.choose_items(history, items, None)
            bodies = forecast_serving.request_bodies(
                history, forecaster, wanted, future, max_bytes=FORECAST_FILE_BYTES, limit=None
            )
            return wanted, bodies

        wanted, bodies = await self.aws.run(prepare)
        batch_id, bucket, prefix = await self._location()
        input_prefix = s3.join_key(prefix, "input")
        await self.aws.run(self._upload_parts, bodies, bucket, input_prefix)
        return await self._create_job(
            name,
            request,
            endpoint,
            output_path,
            (batch_id, bucket, prefix),
            s3.s3_uri(bucket, input_prefix) + "/",
            rows_total=len(wanted) * forecaster.forecast.horizon,
            forecaster=forecaster,
            details={"items": str(len(wanted))},
        )

    def _read_input(self, input_path: str, source: Path | None) -> bytes:
        """A forecast batch's input (a root file, or an S3 object), at most 100 MB."""
        if source is not None:
            if source.stat().st_size > FORECAST_FILE_BYTES:
                raise InvalidRequest(
                    f"{source.name} is over {FORECAST_FILE_BYTES // 2**20} MB: a forecast batch "
                    "input names items (and their future related values); split it."
                )
            return source.read_bytes()
        bucket, key = s3.parse_s3_uri(input_path, what="input S3 URI")
        data, total = s3.read_head(self.aws, bucket, key, FORECAST_FILE_BYTES)
        if total > len(data):
            raise InvalidRequest(
                f"{input_path} is over {FORECAST_FILE_BYTES // 2**20} MB: a forecast batch "
                "input names items (and their future related values); split it."
            )
        return data

    def _upload_parts(self, bodies: list[bytes], bucket: str, prefix: str) -> None:
        for index, body in enumerate(bodies):
            key = s3.join_key(prefix, f"items-{index:05d}.csv")
            self.aws.client("s3").put_object(
                Bucket=bucket, Key=key, Body=body, ContentType="text/csv"
            )

    @staticmethod
    def job_request(
        job_name: str,
        model_name: str,
        input_uri: str,
        output_uri: str,
        instance_type: str,
        tag_list: list[dict[str, str]],
        *,
        forecaster: bool = False,
    ) -> dict[str, Any]:
        """The CreateTransformJob parameters: CSV lines in, each joined with its prediction.

        A `forecaster`'s ("Batch forecasting" in the developer guide: `text/csv`,
        `SplitType` None, `AssembleWith` Line): each input file, whole items with their
        header, is one request and its answer that file's forecast CSV."""
        params: dict[str, Any] = {
            "TransformJobName": job_name,
            "ModelName": model_name,
            "BatchStrategy": "MultiRecord",
            "MaxPayloadInMB": MAX_PAYLOAD_MB,
            "TransformInput": {
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": input_uri}},
                "ContentType": "text/csv",
                "SplitType": "Line",
                "CompressionType": "Gzip" if input_uri.endswith(".gz") else "None",
            },
            "TransformOutput": {
                "S3OutputPath": output_uri,
                "Accept": "text/csv",
                "AssembleWith": "Line",
            },
            "TransformResources": {"InstanceType": instance_type, "InstanceCount": 1},
            "DataProcessing": {"JoinSource": "Input"},
            "Tags": tag_list,
        }
        if forecaster:
            del params["DataProcessing"]  # one answer per file, not per line
            params["TransformInput"]["SplitType"] = "None"
            params.update(
                BatchStrategy="SingleRecord",
                MaxPayloadInMB=FORECAST_PAYLOAD_MB,
                MaxConcurrentTransforms=1,
                # A file of many items takes long: the longest wait AWS allows.
                ModelClientConfig={"InvocationsTimeoutInSeconds": 3600},
            )
        return params

    def _upload(self, source: Path, bucket: str, key: str) -> tuple[list[str], int, str]:
        with tempfile.TemporaryDirectory(prefix="autopilot-batch-") as tmp:
            body = Path(tmp) / source.name
            header, rows = headerless_commas(source, body)
            s3.upload_file(self.aws, body, bucket, key, content_type="text/csv")
        return header, rows, s3.s3_uri(bucket, key)

    def _record(self, batch_id: str) -> BatchRecord:
        record = self.store.batches().get(batch_id)
        if record is None:
            raise NotFound(f"No batch prediction {batch_id!r} on this server.")
        return record

    async def describe(self, batch_id: str) -> m.BatchPrediction:
        """The batch, after asking SageMaker about its job; a Completed job's result is
        downloaded to the output path (once) before the batch is shown Completed."""
        async with self.shared.lock(f"batch:{batch_id}"):
            record = await self.aws.run(self._record, batch_id)
            if record.batch.status is not m.BatchStatus.InProgress:
                return record.batch
            desc = await self.aws.call(
                "sagemaker",
                "DescribeTransformJob",
                f"describe the transform job {record.job_name}",
                TransformJobName=record.job_name,
            )
            status = desc.get("TransformJobStatus", "InProgress")
            batch = record.batch.model_copy(
                update={"details": {**record.batch.details, "transform_job_status": status}}
            )
            if status in ("Failed", "Stopped"):
                reason = desc.get("FailureReason") or (
                    "The transform job was stopped before it finished; SageMaker keeps no "
                    "partial output. Start the batch again."
                    if status == "Stopped"
                    else "The transform job failed."
                )
                batch = batch.model_copy(
                    update={
                        "status": m.BatchStatus.Failed,
                        "failure_reason": reason,
                        "ended_at": desc.get("TransformEndTime") or m.utcnow(),
                    }
                )
            elif status == "Completed":
                try:
                    batch = await self.aws.run(self._download, record, batch)
                except AutopilotError as error:
                    # E.g. the output's folder went away while the job ran: the batch
                    # ends Failed saying so (the result stays on S3 until clean-up).
                    batch = batch.model_copy(
                        update={
                            "status": m.BatchStatus.Failed,
                            "failure_reason": f"{error.message} The result is still at "
                            f"{record.output_s3}.",
                            "ended_at": m.utcnow(),
                        }
                    )
            record = record.model_copy(update={"batch": batch})
            await self.aws.run(self.store.save_batch, record)
            return batch

    async def stop(self, batch_id: str) -> m.BatchPrediction:
        """StopTransformJob; the batch ends Failed ("stopped") once SageMaker says Stopped."""
        record = await self.aws.run(self._record, batch_id)
        if record.batch.status is m.BatchStatus.InProgress:
            await self.aws.call(
                "sagemaker",
                "StopTransformJob",
                f"stop the transform job {record.job_name}",
                TransformJobName=record.job_name,
            )
        return await self.describe(batch_id)

    def _download(self, record: BatchRecord, batch: m.BatchPrediction) -> m.BatchPrediction:
        """Join the job's .out objects, with the header, into the output file (a
        forecaster's: each file's forecast CSV read back as the tidy forecast)."""
        bucket, prefix = s3.parse_s3_uri(record.output_s3)
        outputs = sorted(
            (o for o in s3.list_objects(self.aws, bucket, prefix) if o["Key"].endswith(".out")),
            key=lambda o: o["Key"],
        )
        if outputs and record.forecaster is not None:
            return self._download_forecasts(record, batch, bucket, outputs)
        if not outputs:
            return batch.model_copy(
                update={
                    "status": m.BatchStatus.Failed,
                    "failure_reason": f"The transform job finished but wrote no output under "
                    f"{record.output_s3}.",
                    "ended_at": m.utcnow(),
                }
            )
        target = resolve_output_path(
            self._root,
            self._work,
            record.batch.output_path,
            what="output file",
            exists="replace" if record.overwrite else "rename",
        )
        rows = 0
        client = self.aws.client("s3")
        with target.writer() as writer:
            out = writer.open()
            if record.header:
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerow(record.header)
                out.write(text.getvalue().encode())
            for item in outputs:
                body = client.get_object(Bucket=bucket, Key=item["Key"])["Body"]
                tail = b""
                for chunk in body.iter_chunks(1024 * 1024):
                    rows += chunk.count(b"\n")
                    out.write(chunk)
                    tail = chunk[-1:] or tail
                if tail and tail != b"\n":
                    out.write(b"\n")
                    rows += 1
            final = writer.commit()
        update: dict[str, Any] = {
            "status": m.BatchStatus.Completed,
            "rows_done": rows,
            "ended_at": m.utcnow(),
        }
        if final != target.path:
            shown = to_api_path(self._root, final)
            update["output_path"] = shown
            update["details"] = {
                **batch.details,
                "note": f"{record.batch.output_path!r} appeared while the batch ran and was left "
                f"as it is; the predictions are in {shown!r}.",
            }
        return batch.model_copy(update=update)

    def _download_forecasts(
        self,
        record: BatchRecord,
        batch: m.BatchPrediction,
        bucket: str,
        outputs: list[dict[str, Any]],
    ) -> m.BatchPrediction:
        """The forecaster's answers (one CSV per input file) as one tidy CSV: item_id,
        timestamp, mean and the quantiles, as the local backend writes it."""
        import pandas as pd

        from ...serving.forecast import format_forecast
        from . import forecast_serving

        assert record.forecaster is not None
        client = self.aws.client("s3")
        frames = [
            forecast_serving.parse_answer(
                client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read(), record.forecaster
            )
            for o in outputs
        ]
        forecast = pd.concat(frames, ignore_index=True)
        body, _ = format_forecast(forecast, "text/csv")
        target = resolve_output_path(
            self._root,
            self._work,
            record.batch.output_path,
            what="output file",
            exists="replace" if record.overwrite else "rename",
        )
        with target.writer() as writer:
            writer.open().write(body)
            final = writer.commit()
        update: dict[str, Any] = {
            "status": m.BatchStatus.Completed,
            "rows_done": len(forecast),
            "ended_at": m.utcnow(),
        }
        if final != target.path:
            update["output_path"] = to_api_path(self._root, final)
        return batch.model_copy(update=update)


def _default_output(input_path: str, from_s3: bool) -> str:
    """`<input stem>.predictions.csv` next to a root input, at the root for an S3 input."""
    path = PurePosixPath(input_path)
    stem = re.sub(r"(\.csv)?(\.gz)?$", "", path.name) or "batch"
    name = f"{stem}.predictions.csv"
    return name if from_s3 else str(path.with_name(name))


def _experiment_tag(experiment: str | None) -> dict[str, str]:
    return {t.EXPERIMENT: experiment} if experiment else {}
