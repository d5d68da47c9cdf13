"""The candidates a `FakeAutoML` job creates while it tunes, shaped like Autopilot's: an
XGBoost pipeline of three inference containers per candidate in tuning mode (one
AutoGluon container in ensembling mode), candidate steps naming a processing job and a
training job (answered by DescribeTrainingJob), and objective values that differ per
candidate so that ranking has something to sort."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from fake_job import ACCOUNT, MINIMIZED, FakeJob, metric, problem

if TYPE_CHECKING:
    from fake_automl import FakeAutoML

IMAGE = "683313688378.dkr.ecr.{region}.amazonaws.com/{name}"
CLASSIFICATION_KEYS = "predicted_label,probability,probabilities,labels"


class Candidates:
    """Makes and completes the candidates of one `FakeAutoML`'s jobs."""

    def __init__(self, fake: FakeAutoML):
        self.fake = fake

    def add(self, job: FakeJob, final: bool) -> None:
        name = job.request["AutoMLJobName"]
        ensembling = (
            job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"].get("Mode") == "ENSEMBLING"
        )
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


def training_job(name: str, region: str, now: datetime) -> dict[str, Any]:
    """DescribeTrainingJob's answer for a candidate's training job."""
    return {
        "TrainingJobName": name,
        "TrainingJobArn": f"arn:aws:sagemaker:{region}:{ACCOUNT}:training-job/{name}",
        "ModelArtifacts": {"S3ModelArtifacts": f"s3://bucket/{name}/model.tar.gz"},
        "TrainingJobStatus": "Completed",
        "SecondaryStatus": "Completed",
        "HyperParameters": {
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
