"""InvokeEndpoint on an Autopilot forecaster's endpoint, which moto cannot answer: the
request is the items' history as CSV with the training file's header, the answer CSV with
the item id (and grouping) columns, the timestamp column, one column per quantile and
`mean`, `ForecastHorizon` rows per item after its last target value.

What AWS documents and this fake enforces (a ModelError, 424, as the container answers
a request it cannot read):
- `ContentType: text/csv` (every AWS example; the developer guide's JSON example names
  a CLI command that does not exist);
- the training file's columns and header ("the schema of your data should remain the
  same as the one used to train your model, including the number of columns, column
  headers, and data types", "Deploy models for real-time predictions");
- at least four target values per series ("The data you supply for inference must have
  at least four valid historical values for each time-series", amazon-sagemaker-examples
  autopilot_time_series.ipynb);
- with related columns, their values for every step of the horizon in future-dated rows
  with an empty target (how the training file carries them).
The forecast itself is made up but deterministic and moves with the related values:
the mean of the last four values plus half the step's related values; quantiles spread
around it.
"""

from __future__ import annotations

import csv
import io
import statistics
from typing import TYPE_CHECKING, Any

import pandas as pd
from botocore.awsrequest import AWSResponse
from botocore.response import StreamingBody
from fake_job import forecasting
from fake_rules import error

if TYPE_CHECKING:
    from fake_automl import FakeAutoML
    from fake_job import FakeJob

#: Autopilot's ForecastFrequency units -> pandas aliases (the ones tests use).
_UNITS = {"M": "MS", "D": "D", "W": "W-SUN", "H": "h", "min": "min", "Y": "YS"}


def _model_error(message: str) -> Any:
    """The runtime's answer when the model container refuses the request."""
    return error(
        "ModelError", f'Received client error (400) from primary with message "{message}"', 424
    )


class FakeForecasters:
    """Answers InvokeEndpoint for endpoints whose model is a forecasting candidate."""

    def __init__(self, fake: FakeAutoML):
        self.fake = fake
        #: Every forecaster request body received, for tests to read.
        self.bodies: list[str] = []

    def job_for_model(self, model_name: str) -> FakeJob | None:
        """The forecasting job whose candidate the model serves (None: not a forecaster)."""
        model = self.fake.rules.moto_backend()._models.get(model_name)
        if model is None:
            return None
        containers = [model.primary_container] if model.primary_container else model.containers
        urls = {c.get("ModelDataUrl") for c in containers or []}
        for job in self.fake.jobs.values():
            if not forecasting(job):
                continue
            for candidate in job.candidates:
                if any(c["ModelDataUrl"] in urls for c in candidate["InferenceContainers"]):
                    return job
        return None

    def _job(self, endpoint_name: str) -> FakeJob | None:
        """The forecasting job whose candidate the endpoint's (first) model serves."""
        backend = self.fake.rules.moto_backend()
        endpoint = backend.endpoints.get(endpoint_name)
        if endpoint is None:
            return None
        config = backend.endpoint_configs.get(endpoint.endpoint_config_name)
        variants = config.production_variants if config else []
        return self.job_for_model(variants[0]["ModelName"]) if variants else None

    def _training_header(self, job: FakeJob) -> list[str]:
        uri = job.request["AutoMLJobInputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"]
        bucket, _, key = uri[len("s3://") :].partition("/")
        listed = self.fake._s3.list_objects_v2(Bucket=bucket, Prefix=key)["Contents"]
        first = next(o["Key"] for o in listed if not o["Key"].endswith("/"))
        text = self.fake._s3.get_object(Bucket=bucket, Key=first)["Body"].read().decode()
        return next(csv.reader(io.StringIO(text)))

    def invoke(self, context: dict[str, Any], **_: Any) -> Any:
        """before-call.sagemaker-runtime.InvokeEndpoint: a forecaster's answer or error."""
        params = context.get("fake_api_params", {})
        job = self._job(params.get("EndpointName", ""))
        if job is None:
            return None
        if params.get("ContentType") != "text/csv":
            return _model_error(f"Content type {params.get('ContentType')} is not supported.")
        body = params.get("Body", b"")
        try:
            answer = self.answer(job, body.decode() if isinstance(body, bytes) else str(body))
        except Refused as refused:
            return _model_error(str(refused))
        parsed = {
            "Body": StreamingBody(io.BytesIO(answer), len(answer)),
            "ContentType": "text/csv",
            "InvokedProductionVariant": "AllTraffic",
            "ResponseMetadata": {"HTTPStatusCode": 200, "HTTPHeaders": {}},
        }
        return AWSResponse("https://fake", 200, {}, None), parsed

    def answer(self, job: FakeJob, text: str) -> bytes:
        """The forecast CSV for a request body (or a batch input file), or `Refused`."""
        config = job.request["AutoMLProblemTypeConfig"]["TimeSeriesForecastingJobConfig"]
        series = config["TimeSeriesConfig"]
        self.bodies.append(text)
        header = self._training_header(job)
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        if list(frame.columns) != header:
            raise Refused(
                f"The columns {list(frame.columns)} differ from the training data's {header}."
            )
        target = series["TargetAttributeName"]
        stamp = series["TimestampAttributeName"]
        ids = [series["ItemIdentifierAttributeName"], *series.get("GroupingAttributeNames", [])]
        roles = {target, stamp, *ids}
        related = [c for c in header if c not in roles]
        count = int(config["ForecastFrequency"].rstrip("MDWHYmin") or 1)
        unit = config["ForecastFrequency"][len(str(count)) :]
        freq = f"{count}{_UNITS[unit]}" if count > 1 else _UNITS[unit]
        horizon = int(config["ForecastHorizon"])
        quantiles = list(config["ForecastQuantiles"])
        frame["__time"] = pd.to_datetime(frame[stamp])
        lines = [[*ids, stamp, *quantiles, "mean"]]
        for key, rows in frame.groupby(ids, sort=False):
            keys = key if isinstance(key, tuple) else (key,)
            known = rows[rows[target] != ""]
            if len(known) < 4:
                raise Refused(f"Time series {keys} has fewer than 4 target values.")
            values = [float(v) for v in known[target].iloc[-4:]]
            base = statistics.fmean(values)
            spread = max(1.0, statistics.pstdev(values))
            last = known["__time"].iloc[-1]
            steps = pd.date_range(last, periods=horizon + 1, freq=freq)[1:]
            later = rows[rows[target] == ""].set_index("__time")
            for when in steps:
                shift = 0.0
                if related:
                    if when not in later.index or any(later.loc[when, c] == "" for c in related):
                        raise Refused(f"Time series {keys} lacks the related values at {when}.")
                    shift = 0.5 * sum(float(later.loc[when, c]) for c in related)
                mean = base + shift
                cells = [mean + (int(q[1:]) - 50) / 40 * spread for q in quantiles]
                lines.append(
                    [*keys, when.strftime("%Y-%m-%d %H:%M:%S"), *map(str, cells), str(mean)]
                )
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(lines)
        return out.getvalue().encode()


class Refused(Exception):
    """What the forecaster's container answers a request it cannot read with."""
