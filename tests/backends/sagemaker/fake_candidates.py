"""The candidates a `FakeAutoML` job creates while it tunes, shaped like Autopilot's: an
XGBoost pipeline of three inference containers per candidate in tuning mode (one
AutoGluon container in ensembling mode), candidate steps naming a processing job and a
training job (answered by DescribeTrainingJob), and objective values that differ per
candidate so that ranking has something to sort."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from fake_job import ACCOUNT, MINIMIZED, FakeJob, forecasting, metric, problem, tabular

if TYPE_CHECKING:
    from fake_automl import FakeAutoML

IMAGE = "683313688378.dkr.ecr.{region}.amazonaws.com/{name}"
CLASSIFICATION_KEYS = "predicted_label,probability,probabilities,labels"


class Candidates:
    """Makes and completes the candidates of one `FakeAutoML`'s jobs."""

    def __init__(self, fake: FakeAutoML):
        self.fake = fake

    def add(self, job: FakeJob, final: bool) -> None:
        if forecasting(job):
            self.add_forecasters(job, final)
            return
        name = job.request["AutoMLJobName"]
        ensembling = tabular(job).get("Mode") == "ENSEMBLING"
        objective = metric(job)
        regression = problem(job) == "Regression"
        target_count = (
            self.fake.candidates_per_job if final else max(1, self.fake.candidates_per_job // 2)
        )
        for index in range(len(job.candidates), target_count):
            now = self.fake._now()
            cand_name = (
                f"WeightedEnsemble-L3-FULL-t{index}"
                if ensembling
                else f"{name[:20]}-dpp{index % 3}-xgb-{index:03d}"
            )
            training = f"{name[:20]}-tj-{index:03d}"
            value = round(0.5 + 0.4 * ((index * 37) % 100) / 100, 4)
            bucket, base = self.fake.outputs.location(job)
            model_url = f"s3://{bucket}/{base}/data-processor-models/{cand_name}/model.tar.gz"
            if ensembling:
                containers = [
                    {
                        "Image": IMAGE.format(
                            region=self.fake.region, name="autogluon-inference:0.4-cpu-py38"
                        ),
                        "ModelDataUrl": model_url,
                        "Environment": {
                            "MODEL_NAME": cand_name,
                            **(
                                {}
                                if regression
                                else {"SAGEMAKER_INFERENCE_SUPPORTED": CLASSIFICATION_KEYS}
                            ),
                        },
                    }
                ]
            else:
                containers = [
                    {
                        "Image": IMAGE.format(
                            region=self.fake.region, name="sagemaker-sklearn-automl:2.5-1-cpu-py3"
                        ),
                        "ModelDataUrl": model_url,
                        "Environment": {
                            "AUTOML_TRANSFORM_MODE": "feature-transform",
                            "SAGEMAKER_PROGRAM": "sagemaker_serve",
                        },
                    },
                    {
                        "Image": IMAGE.format(
                            region=self.fake.region, name="sagemaker-xgboost:1.3-1-cpu-py3"
                        ),
                        "ModelDataUrl": model_url.replace("model.tar.gz", "xgb.tar.gz"),
                        "Environment": {
                            "MAX_CONTENT_LENGTH": "20971520",
                            **(
                                {}
                                if regression
                                else {
                                    "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,probabilities"
                                }
                            ),
                        },
                    },
                ]
                if not regression:
                    containers.append(
                        {
                            "Image": IMAGE.format(
                                region=self.fake.region,
                                name="sagemaker-sklearn-automl:2.5-1-cpu-py3",
                            ),
                            "ModelDataUrl": model_url,
                            "Environment": {
                                "AUTOML_TRANSFORM_MODE": "inverse-label-transform",
                                "SAGEMAKER_INFERENCE_SUPPORTED": CLASSIFICATION_KEYS,
                            },
                        }
                    )
            candidate = {
                "CandidateName": cand_name,
                "ObjectiveStatus": "Succeeded",
                "CandidateSteps": [
                    {
                        "CandidateStepType": "AWS::SageMaker::ProcessingJob",
                        "CandidateStepArn": f"arn:aws:sagemaker:{self.fake.region}:{ACCOUNT}:processing-job/{name[:20]}-db-{index}",
                        "CandidateStepName": f"{name[:20]}-db-{index}",
                    },
                    {
                        "CandidateStepType": "AWS::SageMaker::TrainingJob",
                        "CandidateStepArn": f"arn:aws:sagemaker:{self.fake.region}:{ACCOUNT}:training-job/{training}",
                        "CandidateStepName": training,
                    },
                ],
                "CandidateStatus": "InProgress",
                "InferenceContainers": containers,
                "CreationTime": now,
                "LastModifiedTime": now,
            }
            job.candidates.append(candidate)
            self.fake.training_jobs[training] = training_job(training, self.fake.region, now)
            if not ensembling:
                self.fake.outputs.write_training_log(training, index, regression)
        for candidate in job.candidates[: target_count if final else max(1, target_count - 1)]:
            if candidate["CandidateStatus"] != "InProgress":
                continue
            index = job.candidates.index(candidate)
            value = round(0.5 + 0.4 * ((index * 37) % 100) / 100, 4)
            candidate["CandidateStatus"] = "Completed"
            candidate["EndTime"] = self.fake._now()
            candidate["LastModifiedTime"] = candidate["EndTime"]
            candidate["FinalAutoMLJobObjectiveMetric"] = {
                "Type": "Minimize" if objective in MINIMIZED else "Maximize",
                "MetricName": objective,
                "Value": value,
                "StandardMetricName": objective,
            }
            bucket, base = self.fake.outputs.location(job)
            candidate["CandidateProperties"] = {
                "CandidateArtifactLocations": {
                    "Explainability": f"s3://{bucket}/{base}/documentation/explainability/output/{candidate['CandidateName']}",
                    "ModelInsights": f"s3://{bucket}/{base}/documentation/model_monitor/output/{candidate['CandidateName']}",
                },
                "CandidateMetrics": [
                    {
                        "MetricName": objective,
                        "StandardMetricName": objective,
                        "Value": value,
                        "Set": "Validation",
                    },
                    {"StandardMetricName": "LogLoss", "Value": 0.3, "Set": "Validation"},
                    {
                        "MetricName": objective,
                        "StandardMetricName": objective,
                        "Value": min(value + 0.05, 1.0),
                        "Set": "Train",
                    },
                ],
            }
        done = [c for c in job.candidates if c["CandidateStatus"] == "Completed"]
        if done:
            minimize = objective in MINIMIZED
            job.best = sorted(
                done,
                key=lambda c: c["FinalAutoMLJobObjectiveMetric"]["Value"],
                reverse=not minimize,
            )[0]

    def add_forecasters(self, job: FakeJob, final: bool) -> None:
        """The candidates of a TimeSeriesForecasting job: the six algorithms train while the
        job is TrainingModels (half of them finish on the first step), the ensemble at the end;
        each with its backtest metrics and its explainability and backtest-results prefixes."""
        name = job.request["AutoMLJobName"]
        objective = metric(job)
        names = [*FORECASTERS, "ensemble"] if final else list(FORECASTERS)
        bucket, base = self.fake.outputs.location(job)
        for index in range(len(job.candidates), len(names)):
            now = self.fake._now()
            algorithm = names[index]
            cand_name = f"{name[:20]}-{algorithm}-{index:03d}"
            training = f"{name[:20]}-tj-{index:03d}"
            job.candidates.append(
                {
                    "CandidateName": cand_name,
                    "ObjectiveStatus": "Succeeded",
                    "CandidateSteps": [
                        {
                            "CandidateStepType": "AWS::SageMaker::TrainingJob",
                            "CandidateStepArn": f"arn:aws:sagemaker:{self.fake.region}:{ACCOUNT}:training-job/{training}",
                            "CandidateStepName": training,
                        }
                    ],
                    "CandidateStatus": "InProgress",
                    "InferenceContainers": [
                        {
                            "Image": IMAGE.format(
                                region=self.fake.region,
                                name="autopilot-timeseries:latest",
                            ),
                            "ModelDataUrl": f"s3://{bucket}/{base}/models/{cand_name}/model.tar.gz",
                            "Environment": {},
                        }
                    ],
                    "CreationTime": now,
                    "LastModifiedTime": now,
                }
            )
            self.fake.training_jobs[training] = training_job(
                training, self.fake.region, now, hyperparameters={"algorithm": algorithm}
            )
        done = len(names) if final else len(FORECASTERS) // 2
        for index, candidate in enumerate(job.candidates[:done]):
            if candidate["CandidateStatus"] != "InProgress":
                continue
            values = forecast_metrics(index)
            candidate["CandidateStatus"] = "Completed"
            candidate["EndTime"] = self.fake._now()
            candidate["LastModifiedTime"] = candidate["EndTime"]
            candidate["FinalAutoMLJobObjectiveMetric"] = {
                "Type": "Minimize",
                "MetricName": objective,
                "Value": values[objective],
                "StandardMetricName": objective,
            }
            folder = f"s3://{bucket}/{base}/documentation"
            candidate["CandidateProperties"] = {
                "CandidateArtifactLocations": {
                    "Explainability": f"{folder}/explainability/output/{candidate['CandidateName']}",
                    "BacktestResults": f"{folder}/backtest-results/output/{candidate['CandidateName']}",
                },
                "CandidateMetrics": [
                    {"MetricName": m, "StandardMetricName": m, "Value": v, "Set": "Test"}
                    for m, v in values.items()
                ],
            }
        finished = [c for c in job.candidates if c["CandidateStatus"] == "Completed"]
        if finished:
            job.best = min(finished, key=lambda c: c["FinalAutoMLJobObjectiveMetric"]["Value"])


def training_job(
    name: str, region: str, now: datetime, hyperparameters: dict[str, str] | None = None
) -> dict[str, Any]:
    """DescribeTrainingJob's answer for a candidate's training job (XGBoost's
    hyperparameters unless others are given)."""
    return {
        "TrainingJobName": name,
        "TrainingJobArn": f"arn:aws:sagemaker:{region}:{ACCOUNT}:training-job/{name}",
        "ModelArtifacts": {"S3ModelArtifacts": f"s3://bucket/{name}/model.tar.gz"},
        "TrainingJobStatus": "Completed",
        "SecondaryStatus": "Completed",
        "HyperParameters": hyperparameters
        if hyperparameters is not None
        else {
            "max_depth": "6",
            "eta": "0.3",
            "_tuning_objective_metric": "validation:f1",
            "num_round": "100",
        },
        "AlgorithmSpecification": {"TrainingInputMode": "File", "TrainingImage": "xgboost"},
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 30,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "CreationTime": now,
    }


#: A forecasting job's candidates: Autopilot's six time-series algorithms
#: (AutoMLAlgorithm's cnn-qr, deepar, prophet, npts, arima, ets), then their ensemble.
FORECASTERS = ("cnn-qr", "deepar", "prophet", "npts", "arima", "ets")
#: The metrics Autopilot reports for a forecaster ("Autopilot metrics for time-series
#: forecasting": RMSE, wQL, Average wQL, MASE, MAPE, WAPE; per-quantile wQL has no
#: AutoMLMetricExtendedEnum value, so it is in the backtest results only).
FORECAST_METRICS = ("AverageWeightedQuantileLoss", "WAPE", "RMSE", "MASE", "MAPE")


def forecast_metrics(index: int) -> dict[str, float]:
    """Backtest metrics of the `index`th forecaster (the ensemble, last, is the best)."""
    quality = 1.0 + 0.1 * ((index * 3) % 7) if index < len(FORECASTERS) else 0.9
    return {
        "AverageWeightedQuantileLoss": round(0.1 * quality, 4),
        "WAPE": round(0.12 * quality, 4),
        "RMSE": round(4.0 * quality, 4),
        "MASE": round(0.8 * quality, 4),
        "MAPE": round(0.15 * quality, 4),
    }
