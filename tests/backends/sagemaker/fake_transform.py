"""Batch transform jobs for `FakeAutoML`: moto 5.2 records CreateTransformJob but writes
no output and has no StopTransformJob, so the fake runs them itself.

A job is InProgress for `describes_to_finish` DescribeTransformJob calls, then Completed:
each input object under the S3Prefix is read from (moto's) S3 and, as SageMaker does
for CSV with SplitType Line, AssembleWith Line and JoinSource Input, every line is
written back joined with the model's answer, to `<S3OutputPath>/<path relative to the
prefix>.out` ("Batch transform stores the transformed data with an .out suffix",
TransformOutput.S3OutputPath in botocore's model). The answer has one value per key of
the model's last container's SAGEMAKER_INFERENCE_OUTPUT. A stopped job stores no output
(StopTransformJob's documentation); a missing input fails the job, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_automl import FakeAutoML


@dataclass
class FakeTransformJob:
    params: dict[str, Any]
    created: datetime
    status: str = "InProgress"
    describes: int = 0
    failure: str | None = None
    ended: datetime | None = None
    lines: list[str] = field(default_factory=list)


class FakeTransforms:
    """The transform jobs of one `FakeAutoML`."""

    def __init__(self, fake: FakeAutoML):
        self.fake = fake
        self.jobs: dict[str, FakeTransformJob] = {}
        self.describes_to_finish = 1

    def create(self, params: dict[str, Any]) -> dict[str, Any]:
        name = params["TransformJobName"]
        self.jobs[name] = FakeTransformJob(params=params, created=self.fake._now())
        return {"TransformJobArn": self.arn(name)}

    def arn(self, name: str) -> str:
        from fake_automl import ACCOUNT

        return f"arn:aws:sagemaker:{self.fake.region}:{ACCOUNT}:transform-job/{name.lower()}"

    def stop(self, params: dict[str, Any]) -> dict[str, Any]:
        job = self.jobs[params["TransformJobName"]]
        if job.status == "InProgress":
            job.status = "Stopping"
        return {}

    def describe(self, params: dict[str, Any]) -> dict[str, Any]:
        job = self.jobs[params["TransformJobName"]]
        job.describes += 1
        if job.status == "Stopping":
            job.status, job.ended = "Stopped", self.fake._now()
        elif job.status == "InProgress" and job.describes > self.describes_to_finish:
            self._run(job)
        keep = ("ModelName", "MaxPayloadInMB", "BatchStrategy", "TransformInput")
        answer: dict[str, Any] = {k: job.params[k] for k in keep if k in job.params}
        answer.update(
            TransformJobName=job.params["TransformJobName"],
            TransformJobArn=self.arn(job.params["TransformJobName"]),
            TransformJobStatus=job.status,
            TransformOutput=job.params["TransformOutput"],
            TransformResources=job.params["TransformResources"],
            CreationTime=job.created,
        )
        if job.failure:
            answer["FailureReason"] = job.failure
        if job.ended:
            answer["TransformEndTime"] = job.ended
        return answer

    def _run(self, job: FakeTransformJob) -> None:
        """Read the inputs, write the joined outputs, end Completed (or Failed)."""
        source = job.params["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"]
        bucket, _, prefix = source[len("s3://") :].partition("/")
        listed = self.fake._s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
        keys = [o["Key"] for o in listed.get("Contents", [])]
        job.ended = self.fake._now()
        if not keys:
            job.status = "Failed"
            job.failure = f"ClientError: No S3 objects found under S3 URL {source!r} given in input data source."
            return
        out_bucket, _, out_prefix = job.params["TransformOutput"]["S3OutputPath"][5:].partition("/")
        forecasting = self.fake.forecasters.job_for_model(job.params["ModelName"])
        if forecasting is not None:
            self._forecast(job, forecasting, bucket, prefix, keys, out_bucket, out_prefix)
            return
        answer = self._answer(job.params["ModelName"])
        for key in keys:
            body = self.fake._s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
            lines = [f"{line},{answer}" for line in body.splitlines() if line]
            job.lines.extend(lines)
            relative = key[len(prefix) :].lstrip("/") or key.rsplit("/", 1)[-1]
            out_key = "/".join(p for p in (out_prefix.strip("/"), relative + ".out") if p)
            self.fake._s3.put_object(Bucket=out_bucket, Key=out_key, Body="\n".join(lines) + "\n")
        job.status = "Completed"

    def _forecast(
        self,
        job: FakeTransformJob,
        forecasting: Any,
        bucket: str,
        prefix: str,
        keys: list[str],
        out_bucket: str,
        out_prefix: str,
    ) -> None:
        """A forecaster's transform: each input file (whole series with the header, so
        SplitType None: "ensure each file contains whole time series") is one request,
        its forecast CSV the file's .out; a file the model refuses fails the job."""
        from fake_forecaster import Refused

        if job.params["TransformInput"].get("SplitType", "None") != "None":
            job.status = "Failed"
            job.failure = "ClientError: a forecaster reads each input file whole (SplitType None)."
            return
        for key in keys:
            body = self.fake._s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
            try:
                answer = self.fake.forecasters.answer(forecasting, body)
            except Refused as refused:
                job.status, job.failure = "Failed", f"ClientError: {refused}"
                return
            relative = key[len(prefix) :].lstrip("/") or key.rsplit("/", 1)[-1]
            out_key = "/".join(p for p in (out_prefix.strip("/"), relative + ".out") if p)
            self.fake._s3.put_object(Bucket=out_bucket, Key=out_key, Body=answer)
        job.status = "Completed"

    def _answer(self, model_name: str) -> str:
        model = self.fake.rules.moto_backend()._models[model_name]
        containers = model.containers or [model.primary_container]
        env = (containers[-1] or {}).get("Environment") or {}
        keys = (env.get("SAGEMAKER_INFERENCE_OUTPUT") or "predicted_label").split(",")
        values = {"predicted_label": "yes", "probability": "0.77", "labels": "[yes no]"}
        return ",".join(values.get(k, "0.5") for k in keys)
