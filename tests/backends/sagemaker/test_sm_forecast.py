"""Forecasting on the sagemaker backend (#19): a TimeSeriesForecasting AutoML job V2
through the REST API against moto + the fake (every request checked against botocore's
model), its status, leaderboard of backtested forecasters and reports; bad input is a 400
naming the field; the AWS rules the fake enforces."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pandas as pd
import pytest
from botocore.exceptions import ClientError
from fake_automl import FakeAutoML
from sm_support import REGION
from support.sample_data import monthly_sales

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import forecasting, jobs
from jupyter_autopilot.exceptions import InvalidRequest

BUCKET = "sagemaker-us-east-1-123456789012"


def spec_body(name: str, uri: str, **forecast: Any) -> dict[str, Any]:
    block = {"timestamp": "date", "item_ids": ["store"], "frequency": "MS", "horizon": 6}
    return {
        "name": name,
        "input_uri": uri,
        "target": "sales",
        "problem_type": "TimeSeriesForecasting",
        "forecast": {**block, **forecast},
    }


@pytest.fixture
def sales_uri(api: Any, jp_root_dir: Path, rest_fake: FakeAutoML) -> Any:
    """Upload a CSV of monthly sales (columns as given) through datasets/upload."""

    async def upload(name: str = "sales.csv", **extra: Any) -> str:
        frame = monthly_sales()
        if extra.pop("date", None) == "irregular":
            # Steps of 1 to 39 days: no frequency to detect.
            steps = np.random.default_rng(1).integers(1, 40, len(frame))
            dates = pd.Timestamp("2018-01-01") + pd.to_timedelta(np.cumsum(steps), unit="D")
            frame["date"] = dates.strftime("%Y-%m-%d")
        for column, value in extra.items():
            frame[column] = value
        frame.to_csv(jp_root_dir / name, index=False)
        reply = await api.post("datasets/upload", {"path": name, "key_prefix": "forecast/input"})
        assert reply.code == 201, reply.body
        return str(reply.body["uri"])

    return upload


async def test_forecasting_experiment_on_sagemaker(
    api: Any, rest_fake: FakeAutoML, sales_uri: Any, jp_root_dir: Path
) -> None:
    health = await api.get("health")
    assert health.body["backend"] == "sagemaker" and health.body["features"]["forecasting"]

    uri = await sales_uri(price=1.5, region="north")
    # A second item-id column is a grouping attribute.
    body = spec_body(
        "sales-fc",
        uri,
        item_ids=["store", "region"],
        related=["price"],
        quantiles=["p10", "p50", "p90", "p95"],
    )
    body["objective_metric"] = "WAPE"
    body["max_job_runtime_seconds"] = 7200
    created = await api.post("experiments", body)
    assert created.code == 201, created.body
    assert created.body["problem_type"] == "TimeSeriesForecasting"

    # The request CreateAutoMLJobV2 received (validated against botocore by the fake).
    (request,) = rest_fake.sent("CreateAutoMLJobV2")
    config = request["AutoMLProblemTypeConfig"]["TimeSeriesForecastingJobConfig"]
    assert config["TimeSeriesConfig"] == {
        "TargetAttributeName": "sales",
        "TimestampAttributeName": "date",
        "ItemIdentifierAttributeName": "store",
        "GroupingAttributeNames": ["region"],
    }
    assert config["ForecastFrequency"] == "1M" and config["ForecastHorizon"] == 6
    assert config["ForecastQuantiles"] == ["p10", "p50", "p90", "p95"]
    assert config["CompletionCriteria"] == {"MaxAutoMLJobRuntimeInSeconds": 7200}
    assert "HolidayConfig" not in config and "DataSplitConfig" not in request
    assert request["AutoMLJobObjective"] == {"MetricName": "WAPE"}
    assert request["AutoMLJobInputDataConfig"][0]["CompressionType"] == "None"
    # Every other column is related: Autopilot's default, no feature specification.
    assert "FeatureSpecificationS3Uri" not in config

    experiment = created.body
    for _ in range(15):
        reply = await api.get("experiments/sales-fc")
        assert reply.code == 200, reply.body
        experiment = reply.body
        if experiment["status"] == "Completed":
            break
    assert experiment["status"] == "Completed"
    # Like ensembling mode: no candidate definitions or feature-engineering jobs of its own.
    assert [s["status"] for s in experiment["stages"]] == ["done", "skipped", "skipped", "done"]
    assert experiment["stages"][1]["message"] == "Not a separate stage of a forecasting job"
    assert experiment["objective"] == {"metric": "WAPE", "goal": "Minimize"}
    assert experiment["spec"]["forecast"]["frequency"] == "MS"
    assert experiment["best_candidate"]["algorithm"] == "ensemble"

    board = await api.get("experiments/sales-fc/candidates")
    assert board.code == 200 and board.body["total"] == 7
    rows = board.body["candidates"]
    assert [r["rank"] for r in rows] == list(range(1, 8))
    values = [r["objective_value"] for r in rows]
    assert values == sorted(values)  # smaller is better for every forecasting metric
    best = rows[0]
    assert best["is_best"] and best["algorithm"] == "ensemble" and best["is_ensemble"]
    assert {r["algorithm"] for r in rows[1:]} == {
        "cnn-qr",
        "deepar",
        "prophet",
        "npts",
        "arima",
        "ets",
    }
    assert set(best["metrics"]) == {"AverageWeightedQuantileLoss", "WAPE", "RMSE", "MASE", "MAPE"}
    assert best["metrics"]["WAPE"] == best["objective_value"]
    by_wql = await api.get(
        "experiments/sales-fc/candidates",
        params={"sort_by": "AverageWeightedQuantileLoss", "order": "best"},
    )
    wql = [r["metrics"]["AverageWeightedQuantileLoss"] for r in by_wql.body["candidates"]]
    assert wql == sorted(wql)
    detail = await api.get(f"experiments/sales-fc/candidates/{best['name']}")
    assert detail.code == 200 and detail.body["insights"]["metrics"]["MASE"] > 0
    assert detail.body["hyperparameters"] == {"algorithm": "ensemble"}

    artifacts = await api.get("experiments/sales-fc/artifacts")
    assert artifacts.code == 200
    kinds = {a["kind"]: a for a in artifacts.body["artifacts"]}
    assert kinds["data_exploration_notebook"]["available"]
    backtest = kinds["backtest_results"]
    assert backtest["available"] and backtest["path"].endswith("Accuracy_metrics.csv")
    assert (jp_root_dir / backtest["path"]).read_text().startswith("item_id,")
    assert kinds["explainability_report"]["available"]
    # Tabular-only artifacts are not offered for a forecaster.
    assert "candidate_definitions_notebook" not in kinds


async def test_related_columns_with_others_go_into_a_feature_specification(
    api: Any, rest_fake: FakeAutoML, sales_uri: Any
) -> None:
    uri = await sales_uri(price=1.5, promo=0, note="x")
    created = await api.post(
        "experiments",
        {**spec_body("fc-related", uri, related=["price", "promo"]), "exclude_columns": ["note"]},
    )
    assert created.code == 201, created.body
    (request,) = rest_fake.sent("CreateAutoMLJobV2")
    config = request["AutoMLProblemTypeConfig"]["TimeSeriesForecastingJobConfig"]
    bucket, _, key = config["FeatureSpecificationS3Uri"][len("s3://") :].partition("/")
    stored = boto3.client("s3", region_name=REGION).get_object(Bucket=bucket, Key=key)
    assert json.loads(stored["Body"].read()) == {"FeatureAttributeNames": ["price", "promo"]}


async def test_a_holiday_country_becomes_the_jobs_holiday_config(
    api: Any, rest_fake: FakeAutoML, sales_uri: Any
) -> None:
    uri = await sales_uri()
    created = await api.post("experiments", spec_body("fc-holidays", uri, holiday_country="jp"))
    assert created.code == 201, created.body
    assert created.body["spec"]["forecast"]["holiday_country"] == "JP"
    (request,) = rest_fake.sent("CreateAutoMLJobV2")
    config = request["AutoMLProblemTypeConfig"]["TimeSeriesForecastingJobConfig"]
    assert config["HolidayConfig"] == [{"CountryCode": "JP"}]
    # Read back from the job's description (as for a job created elsewhere).
    spec = jobs.spec_from_description({**request, "AutoMLJobArn": "arn:x"}, {})
    assert spec.forecast is not None and spec.forecast.holiday_country == "JP"
    # Not two letters: a 400 naming the field, before anything is sent.
    refused = await api.post("experiments", spec_body("fc-usa", uri, holiday_country="USA"))
    assert refused.code == 400
    assert "forecast.holiday_country" in json.dumps(refused.body)
    assert "two letters" in refused.body["message"]
    assert len(rest_fake.sent("CreateAutoMLJobV2")) == 1


async def test_the_frequency_is_detected_when_the_spec_leaves_it_out(
    api: Any, rest_fake: FakeAutoML, sales_uri: Any
) -> None:
    uri = await sales_uri()
    # The series preview of the S3 object shows what the wizard will use.
    block = {"timestamp": "date", "item_ids": ["store"], "horizon": 6}
    preview = await api.post("datasets/preview", {"uri": uri, "target": "sales", "forecast": block})
    assert preview.code == 200, preview.body
    series = preview.body["series"]
    assert series["frequency"] == "MS" and series["frequency_detected"] and series["items"] == 3
    created = await api.post("experiments", spec_body("fc-detect", uri, frequency=None))
    assert created.code == 201, created.body
    assert created.body["spec"]["forecast"]["frequency"] == "MS"
    (request,) = rest_fake.sent("CreateAutoMLJobV2")
    config = request["AutoMLProblemTypeConfig"]["TimeSeriesForecastingJobConfig"]
    assert config["ForecastFrequency"] == "1M"


@pytest.mark.parametrize(
    ("change", "extra_columns", "field", "words"),
    [
        ({"forecast": {"item_ids": []}}, {}, "forecast.item_ids", "item-id column"),
        (
            {"forecast": {"frequency": None}},
            {"date": "irregular"},
            "forecast.frequency",
            "none could be detected",
        ),
        ({"forecast": {"frequency": "B"}}, {}, "forecast.frequency", "BusinessDay"),
        ({"forecast": {"frequency": "5W"}}, {}, "forecast.frequency", "at most 4"),
        ({"forecast": {"horizon": 501}}, {}, "forecast.horizon", "at most 500 steps"),
        ({"forecast": {"backtest_windows": 2}}, {}, "forecast.backtest_windows", "own backtest"),
        ({"forecast": {"related": ["cost"]}}, {}, "forecast.related", "not a column"),
        ({}, {"price": 1.0}, "forecast.related", "every other column"),
        ({"max_candidates": 5}, {}, "max_candidates", "takes only 1"),
        ({"training_mode": "ensembling"}, {}, "training_mode", "no training mode"),
        ({"mode": "pilot"}, {}, "mode", "complete run"),
    ],
)
async def test_bad_forecasting_input_is_a_400_naming_the_field(
    api: Any,
    rest_fake: FakeAutoML,
    sales_uri: Any,
    change: dict[str, Any],
    extra_columns: dict[str, Any],
    field: str,
    words: str,
) -> None:
    uri = await sales_uri(**extra_columns)
    body = spec_body("fc-bad", uri)
    body["forecast"].update(change.pop("forecast", {}))
    body.update(change)
    reply = await api.post("experiments", body)
    assert reply.code == 400, reply.body
    assert reply.body["details"] == [{"field": field}], reply.body
    assert words in reply.body["message"]
    validated = await api.post("validation/experiment", body)
    assert validated.code == 400 and validated.body["details"] == [{"field": field}]
    assert rest_fake.sent("CreateAutoMLJobV2") == []


@pytest.mark.parametrize(
    ("pandas", "autopilot"),
    [
        ("D", "1D"),
        ("3D", "3D"),
        ("7D", "1W"),
        ("14D", "2W"),
        ("W", "1W"),
        ("2W-MON", "2W"),
        ("MS", "1M"),
        ("ME", "1M"),
        ("QS", "3M"),
        ("2QE", "6M"),
        ("12MS", "1Y"),
        ("YS", "1Y"),
        ("h", "1H"),
        ("24h", "1D"),
        ("15min", "15min"),
        ("60min", "1H"),
        ("90min", "90min"),
    ],
)
def test_pandas_frequencies_as_autopilot_frequencies(pandas: str, autopilot: str) -> None:
    if autopilot == "90min":
        # 90 minutes is neither 1-59 minutes nor whole hours: AWS's pattern refuses it.
        with pytest.raises(InvalidRequest) as raised:
            forecasting.autopilot_frequency(pandas)
        assert raised.value.details == [{"field": "forecast.frequency"}]
        return
    assert forecasting.autopilot_frequency(pandas) == autopilot
    back = forecasting.pandas_frequency(autopilot)
    assert back is not None and forecasting.autopilot_frequency(back) == autopilot


@pytest.mark.parametrize("frequency", ["2Y", "YS-JUL", "s", "SMS", "BMS", "8D"])
def test_frequencies_autopilot_has_not(frequency: str) -> None:
    if frequency == "YS-JUL":
        # An anchor is dropped (Autopilot places the steps itself): still one year.
        assert forecasting.autopilot_frequency(frequency) == "1Y"
        return
    with pytest.raises(InvalidRequest) as raised:
        forecasting.autopilot_frequency(frequency)
    assert raised.value.details == [{"field": "forecast.frequency"}]


def _valid_forecast_request(role_arn: str) -> dict[str, Any]:
    spec = m.ExperimentSpec.model_validate(spec_body("fc-raw", "s3://bucket/sales.csv"))
    return jobs.build_create_request(
        spec, role_arn=role_arn, output_path="s3://bucket/out", input_key="sales.csv"
    )


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (lambda r, c: r.update(DataSplitConfig={"ValidationFraction": 0.2}), "DataSplitConfig"),
        (lambda r, c: c.update(ForecastHorizon=501), "ForecastHorizon"),
        (lambda r, c: c.update(CompletionCriteria={"MaxCandidates": 3}), "MaxCandidates"),
        (lambda r, c: r.update(AutoMLJobObjective={"MetricName": "F1"}), "objective metric"),
        (
            lambda r, c: r["AutoMLJobInputDataConfig"][0].update(CompressionType="Gzip"),
            "CompressionType",
        ),
    ],
)
def test_the_fake_refuses_what_aws_refuses(
    boto_session: boto3.Session, fake: FakeAutoML, role_arn: str, breaks: Any, message: str
) -> None:
    client = boto_session.client("sagemaker", region_name=REGION)
    request = _valid_forecast_request(role_arn)
    client.create_auto_ml_job_v2(**request)  # the request we build is accepted
    request["AutoMLJobName"] = "fc-broken"
    breaks(request, request["AutoMLProblemTypeConfig"]["TimeSeriesForecastingJobConfig"])
    with pytest.raises(ClientError) as raised:
        client.create_auto_ml_job_v2(**request)
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert message in raised.value.response["Error"]["Message"]


def test_a_forecasting_job_created_elsewhere_is_read_back(role_arn: str) -> None:
    request = _valid_forecast_request(role_arn)
    desc = {**request, "AutoMLJobArn": "arn:aws:sagemaker:us-east-1:1:automl-job/fc-raw"}
    spec = jobs.spec_from_description(desc, {})
    assert spec.problem_type is m.ProblemType.time_series_forecasting
    assert spec.target == "sales" and spec.objective_metric is not None
    assert spec.forecast is not None
    assert (spec.forecast.timestamp, spec.forecast.item_ids) == ("date", ["store"])
    assert (spec.forecast.frequency, spec.forecast.horizon) == ("MS", 6)


def test_dry_run_shows_the_forecasting_request(
    dry: Any, run: Any, fake: FakeAutoML, boto_session: boto3.Session, tmp_path: Path
) -> None:
    s3 = boto_session.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="data-bucket")
    s3.put_object(
        Bucket="data-bucket", Key="in/sales.csv", Body=monthly_sales().to_csv(index=False).encode()
    )
    spec = m.ExperimentSpec.model_validate(
        spec_body("fc-dry", "s3://data-bucket/in/sales.csv", frequency=None)
    )
    experiment = run(dry.create_experiment(spec))
    assert experiment.dry_run and experiment.problem_type is m.ProblemType.time_series_forecasting
    (create,) = [
        r
        for r in json.loads(experiment.backend_details["dry_run_requests"])
        if r["operation"] == "CreateAutoMLJobV2"
    ]
    config = create["params"]["AutoMLProblemTypeConfig"]["TimeSeriesForecastingJobConfig"]
    # Reads still happen in a dry run: the frequency is detected on the object's head.
    assert config["ForecastFrequency"] == "1M"
    assert fake.jobs == {}


async def test_a_forecasting_job_created_outside_shows_in_the_views(
    api: Any, rest_fake: FakeAutoML, sales_uri: Any, role_arn: str
) -> None:
    uri = await sales_uri()
    spec = m.ExperimentSpec.model_validate(spec_body("fc-outside", uri, item_ids=["store"]))
    request = jobs.build_create_request(
        spec, role_arn=role_arn, output_path=f"s3://{BUCKET}/elsewhere", input_key="sales.csv"
    )
    request["Tags"] = []  # not one of ours
    rest_fake.session.client("sagemaker", region_name=REGION).create_auto_ml_job_v2(**request)
    rest_fake.finish("fc-outside")

    listed = await api.get("experiments")
    assert listed.code == 200 and "fc-outside" in [e["name"] for e in listed.body["experiments"]]
    described = await api.get("experiments/fc-outside")
    assert described.code == 200, described.body
    body = described.body
    assert body["status"] == "Completed" and body["problem_type"] == "TimeSeriesForecasting"
    assert body["spec"]["forecast"]["frequency"] == "MS"
    assert body["spec"]["forecast"]["item_ids"] == ["store"]
    assert body["objective"]["metric"] == "AverageWeightedQuantileLoss"
    board = await api.get("experiments/fc-outside/candidates")
    assert board.body["total"] == 7 and board.body["candidates"][0]["algorithm"] == "ensemble"


async def completed(api: Any, name: str) -> dict[str, Any]:
    """The experiment once the fake's job has finished."""
    for _ in range(15):
        reply = await api.get(f"experiments/{name}")
        assert reply.code == 200, reply.body
        if reply.body["status"] == "Completed":
            return dict(reply.body)
    raise AssertionError(f"{name} did not complete")


async def test_deploy_and_forecast_with_a_sagemaker_forecaster(
    api: Any, rest_fake: FakeAutoML, jp_root_dir: Path
) -> None:
    # Three stores' monthly sales with a 0/1 promo (related); the file also carries s0's
    # promo plan for the six months after its history (empty sales), as Autopilot's
    # training data does.
    frame = monthly_sales(items=3, length=36, promo=True)
    plan = pd.DataFrame(
        {
            "store": "s0",
            "date": pd.date_range("2021-01-01", periods=6, freq="MS").strftime("%Y-%m-%d"),
            "sales": None,
            "promo": [1, 0, 1, 0, 1, 0],
        }
    )
    pd.concat([frame, plan]).to_csv(jp_root_dir / "promo.csv", index=False)
    uploaded = await api.post(
        "datasets/upload", {"path": "promo.csv", "key_prefix": "forecast/input"}
    )
    assert uploaded.code == 201, uploaded.body
    created = await api.post(
        "experiments", spec_body("fc-deploy", uploaded.body["uri"], related=["promo"])
    )
    assert created.code == 201, created.body
    experiment = await completed(api, "fc-deploy")

    # Clarify has no explainer for forecasters: a 400 naming the field, nothing created.
    refused = await api.post(
        "experiments/fc-deploy/deploy", {"endpoint_name": "fc-ep", "explanations": True}
    )
    assert refused.code == 400 and refused.body["details"] == [{"field": "explanations"}]
    assert rest_fake.sent("CreateModel") == []

    deployed = await api.post("experiments/fc-deploy/deploy", {"endpoint_name": "fc-ep"})
    assert deployed.code == 202, deployed.body
    (model,) = rest_fake.sent("CreateModel")
    best = experiment["best_candidate"]["name"]
    (container,) = rest_fake.jobs["fc-deploy"].candidates[-1]["InferenceContainers"]
    assert rest_fake.jobs["fc-deploy"].candidates[-1]["CandidateName"] == best
    # The candidate's one container as the job gave it: nothing to configure.
    assert model["PrimaryContainer"] == container
    endpoint = await api.get("endpoints/fc-ep")
    assert endpoint.code == 200 and endpoint.body["status"] == "InService"
    assert endpoint.body["experiment"] == "fc-deploy"
    assert endpoint.body["input_columns"] == ["item_id", "timestamp", "promo"]

    # What-if starts from the future rows: s0's from the file's plan, s1's at its last
    # known promo value.
    future = await api.get("endpoints/fc-ep/future", params={"item_ids": "s0,s1"})
    assert future.code == 200, future.body
    assert future.body["horizon"] == 6 and future.body["related"] == ["promo"]
    rows = future.body["future"]
    assert [r["item_id"] for r in rows] == ["s0"] * 6 + ["s1"] * 6
    assert rows[0]["timestamp"] == "2021-01-01T00:00:00"
    assert rows[5]["timestamp"] == "2021-06-01T00:00:00"
    assert [r["promo"] for r in rows[:6]] == [1, 0, 1, 0, 1, 0]
    s1_last = int(frame[frame["store"] == "s1"]["promo"].iloc[-1])
    assert [r["promo"] for r in rows[6:]] == [s1_last] * 6

    async def forecast(body: dict[str, Any], accept: str = "application/json") -> Any:
        return await api.call(
            "POST",
            "endpoints/fc-ep/invocations",
            raw=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": accept},
        )

    reply = await forecast({"item_ids": ["s0", "s1"], "future": rows})
    assert reply.code == 200, reply.body
    forecasts = reply.body["forecasts"]
    assert reply.body["predictions"] == [] and len(forecasts) == 12
    assert set(forecasts[0]) == {"item_id", "timestamp", "mean", "p10", "p50", "p90"}
    assert [f["timestamp"] for f in forecasts[:6]] == [r["timestamp"] for r in rows[:6]]
    assert all(f["p10"] < f["p50"] < f["p90"] for f in forecasts)

    # What SageMaker was sent: Autopilot's CSV with the training header, each item's
    # history (s0's own planned rows left out) then its future rows with an empty target.
    sent = rest_fake.sent("InvokeEndpoint")[-1]
    assert sent["ContentType"] == "text/csv"
    lines = sent["Body"].decode().splitlines()
    assert lines[0] == "store,date,sales,promo"
    s0 = [line for line in lines[1:] if line.startswith("s0,")]
    assert len(s0) == 36 + 6
    plan_rows = [
        f"s0,2021-0{m}-01,,{p}.0" for m, p in zip(range(1, 7), [1, 0, 1, 0, 1, 0], strict=True)
    ]
    assert s0[36:] == plan_rows

    # What-if: a promo in every month moves s0's forecast where the plan had none.
    every = [dict(r, promo=1) for r in rows]
    again = await forecast({"item_ids": ["s0", "s1"], "future": every})
    assert again.code == 200, again.body
    moved = [b["mean"] - a["mean"] for a, b in zip(forecasts, again.body["forecasts"], strict=True)]
    before = [r["promo"] for r in rows]
    assert moved == pytest.approx([0.5 * (1 - p) for p in before])

    # CSV out, as the local endpoints answer.
    as_csv = await api.call(
        "POST",
        "endpoints/fc-ep/invocations",
        raw=json.dumps({"item_ids": ["s1"], "future": rows[6:]}),
        headers={"Content-Type": "application/json", "Accept": "text/csv"},
    )
    assert as_csv.code == 200
    text = as_csv.body if isinstance(as_csv.body, str) else as_csv.body.decode()
    assert text.splitlines()[0] == "item_id,timestamp,mean,p10,p50,p90"

    # Bad requests are 400s that say what to send; SageMaker is not called.
    calls = len(rest_fake.sent("InvokeEndpoint"))
    unknown = await forecast({"item_ids": ["s9"]})
    assert unknown.code == 400 and "No history for item(s) 's9'" in unknown.body["message"]
    no_future = await forecast({"item_ids": ["s0"]})
    assert no_future.code == 400 and "related columns promo" in no_future.body["message"]
    partial = await forecast({"item_ids": ["s0"], "future": rows[:3]})
    assert partial.code == 400 and "all 6 future steps" in partial.body["message"]
    assert len(rest_fake.sent("InvokeEndpoint")) == calls

    # A batch forecast: the input names the items with their promo plan; the items'
    # history goes up as Autopilot's CSV and one transform job forecasts them all.
    plan_rows = [dict(r, promo=1) for r in rows[:6]] + [
        {"item_id": "s2", "timestamp": r["timestamp"], "promo": 0} for r in rows[:6]
    ]
    pd.DataFrame(plan_rows).to_csv(jp_root_dir / "plan.csv", index=False)
    started = await api.post("endpoints/fc-ep/batch-predictions", {"input_path": "plan.csv"})
    assert started.code == 202, started.body
    assert started.body["rows_total"] == 12
    (job,) = rest_fake.sent("CreateTransformJob")
    assert job["TransformInput"]["SplitType"] == "None"
    assert job["TransformInput"]["ContentType"] == "text/csv"
    assert job["BatchStrategy"] == "SingleRecord" and "DataProcessing" not in job
    batch = await api.wait_for(
        f"batch-predictions/{started.body['id']}",
        lambda b: b["status"] not in ("Queued", "InProgress"),
        timeout=30,
        interval=0.1,
    )
    assert batch["status"] == "Completed", batch
    written = pd.read_csv(jp_root_dir / batch["output_path"])
    assert list(written.columns) == ["item_id", "timestamp", "mean", "p10", "p50", "p90"]
    assert list(written["item_id"]) == ["s0"] * 6 + ["s2"] * 6 and batch["rows_done"] == 12
    # The batch and the endpoint forecast alike (the same promo plan for s0).
    assert list(written["mean"][:6]) == pytest.approx(
        [f["mean"] for f in again.body["forecasts"][:6]]
    )
    sent_file = rest_fake.forecasters.bodies[-1]
    assert sent_file.splitlines()[0] == "store,date,sales,promo"
    # Items without their promo plan: a 400 before anything is uploaded.
    pd.DataFrame({"item_id": ["s1"]}).to_csv(jp_root_dir / "items.csv", index=False)
    refused_batch = await api.post("endpoints/fc-ep/batch-predictions", {"input_path": "items.csv"})
    assert refused_batch.code == 400 and "related columns promo" in refused_batch.body["message"]
    assert len(rest_fake.sent("CreateTransformJob")) == 1

    # Drift reports are for tabular models: a forecaster's endpoint says so.
    report = await api.post("endpoints/fc-ep/monitoring/reports", {"window_hours": 24})
    assert report.code == 409 and "serves a forecaster" in report.body["message"]
    schedule = await api.call(
        "PUT",
        "endpoints/fc-ep/monitoring",
        body={"data_capture": {"enabled": True}, "schedule_minutes": 60},
    )
    assert schedule.code == 400 and schedule.body["details"] == [{"field": "schedule_minutes"}]
