"""What an AutoML job of `FakeAutoML` writes, where Autopilot writes it: its notebooks and
generated data-processing modules and its reports in (moto's) S3, and each tuning
candidate's training log in (moto's) CloudWatch Logs."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from fake_job import FakeJob, forecasting, metric, problem
from support.autopilot_notebook import BANK_CANDIDATES, candidate_notebook, dpp_module

if TYPE_CHECKING:
    from fake_automl import FakeAutoML


def notebook(title: str) -> str:
    """A minimal valid notebook, like the ones Autopilot writes."""
    return json.dumps(
        {
            # nbformat 4.5 requires cell ids (without one, nbformat warns on every read).
            "cells": [
                {"cell_type": "markdown", "id": "title", "metadata": {}, "source": [f"# {title}"]}
            ],
            "metadata": {
                "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


class JobOutputs:
    """The S3 objects and log streams of one `FakeAutoML`'s jobs."""

    def __init__(self, fake: FakeAutoML):
        self.fake = fake

    def location(self, job: FakeJob) -> tuple[str, str]:
        uri = job.request["OutputDataConfig"]["S3OutputPath"]
        bucket, _, prefix = uri[5:].partition("/")
        return bucket, "/".join(p for p in (prefix.strip("/"), job.request["AutoMLJobName"]) if p)

    def put(self, bucket: str, key: str, body: str | bytes) -> str:
        self.fake._s3.put_object(
            Bucket=bucket, Key=key, Body=body.encode() if isinstance(body, str) else body
        )
        return f"s3://{bucket}/{key}"

    def write_notebooks(self, job: FakeJob, pilot: bool) -> None:
        bucket, base = self.location(job)
        folder = (
            f"{base}/sagemaker-automl-candidates/{job.request['AutoMLJobName']}-artifacts/notebooks"
        )
        job.artifacts["DataExplorationNotebookLocation"] = self.put(
            bucket,
            f"{folder}/SageMakerAutopilotDataExplorationNotebook.ipynb",
            notebook("Data exploration"),
        )
        if pilot:
            tabular = job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
            job.artifacts["CandidateDefinitionNotebookLocation"] = self.put(
                bucket,
                f"{folder}/SageMakerAutopilotCandidateDefinitionNotebook.ipynb",
                candidate_notebook(
                    job=job.request["AutoMLJobName"],
                    target=tabular["TargetAttributeName"],
                    n_columns=self.column_count(job),
                    problem=problem(job),
                    metric=metric(job).upper(),
                    s3_base=f"s3://{bucket}/{base}",
                ),
            )
            self.write_generated_modules(job, bucket, base)

    def header_sample(self, job: FakeJob) -> list[list[str]]:
        """The training CSV's first rows (header first), as Autopilot's analysis sees them."""
        uri = job.request["AutoMLJobInputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"]
        bucket, _, key = uri[len("s3://") :].partition("/")
        head = self.fake._s3.get_object(Bucket=bucket, Key=key, Range="bytes=0-65535")[
            "Body"
        ].read()
        lines = head.decode("utf-8", "replace").splitlines()[:-1] or [""]
        return [line.split(",") for line in lines]

    def column_count(self, job: FakeJob) -> int:
        return len(self.header_sample(job)[0])

    def write_generated_modules(self, job: FakeJob, bucket: str, base: str) -> None:
        """dppN.py per candidate, where the notebook's setup cell syncs them from."""
        rows = self.header_sample(job)
        header, body = rows[0], rows[1:]
        target = job.request["AutoMLProblemTypeConfig"]["TabularJobConfig"]["TargetAttributeName"]

        def numeric(index: int) -> bool:
            try:
                [float(r[index]) for r in body if len(r) > index and r[index] != ""]
            except ValueError:
                return False
            return True

        features = [(i, c) for i, c in enumerate(header) if c != target]
        numbers = [c for i, c in features if numeric(i)]
        labels = [c for i, c in features if c not in numbers]
        folder = (
            f"{base}/sagemaker-automl-candidates/pr-1/generated_module/candidate_data_processors"
        )
        for name, _, transformers in BANK_CANDIDATES:
            self.put(
                bucket,
                f"{folder}/{name}.py",
                dpp_module(header, target, numbers, labels, transformers),
            )

    def write_training_log(self, training: str, index: int, regression: bool) -> None:
        """The built-in XGBoost's per-round lines in the job's CloudWatch log stream, as
        SageMaker writes them. Every third candidate overfits: its validation loss turns up
        after round 40 while the training loss keeps falling."""
        group = "/aws/sagemaker/TrainingJobs"
        try:
            self.fake._logs.create_log_group(logGroupName=group)
        except self.fake._logs.exceptions.ResourceAlreadyExistsException:
            pass
        stream = f"{training}/algo-1-1700000000"
        self.fake._logs.create_log_stream(logGroupName=group, logStreamName=stream)
        metric = "rmse" if regression else "logloss"
        start = int(self.fake._now().timestamp() * 1000)
        messages = [
            "[2026-01-01:00:00:00:INFO] Running standalone xgboost training.",
            "[20:56:24] INFO: ../src/tree/updater_prune.cc:101: tree pruning end",
        ]
        for r in range(120):
            train = 0.65 * math.exp(-r / 30) + 0.05
            valid = 0.65 * math.exp(-r / 35) + 0.12
            if index % 3 == 0 and r > 40:
                valid += 0.004 * (r - 40)
            messages.append(
                f"[{r}]#011train-{metric}:{train:.5f}#011validation-{metric}:{valid:.5f}"
            )
        self.fake._logs.put_log_events(
            logGroupName=group,
            logStreamName=stream,
            logEvents=[{"timestamp": start + i, "message": m} for i, m in enumerate(messages)],
        )

    def write_backtest_results(self, job: FakeJob) -> None:
        """The best forecaster's reports: its explainability report and its backtest
        results. The backtest folder follows Amazon Forecast's backtest export, whose
        algorithms Autopilot's time-series jobs run: `accuracy-metrics-values/` (metrics per
        item and quantile) and `forecasted-values/` (the backtest window's forecasts)."""
        assert job.best is not None
        locations = job.best["CandidateProperties"]["CandidateArtifactLocations"]
        bucket, _, prefix = locations["Explainability"][5:].partition("/")
        self.put(bucket, f"{prefix}/report.pdf", b"%PDF-1.4 fake explainability report\n")
        bucket, _, prefix = locations["BacktestResults"][5:].partition("/")
        metrics = {
            m["StandardMetricName"]: m["Value"]
            for m in job.best["CandidateProperties"]["CandidateMetrics"]
        }
        self.put(
            bucket,
            f"{prefix}/accuracy-metrics-values/Accuracy_metrics.csv",
            "item_id,backtest_window,wQL[0.1],wQL[0.5],wQL[0.9],WAPE,RMSE,MASE,MAPE\n"
            f"ALL,1,0.05,{metrics['WAPE']},0.07,{metrics['WAPE']},{metrics['RMSE']},"
            f"{metrics['MASE']},{metrics['MAPE']}\n",
        )
        self.put(
            bucket,
            f"{prefix}/forecasted-values/Forecasts.csv",
            "item_id,timestamp,target_value,p10,p50,p90\nA,2024-03-01,10,8,10,12\n",
        )

    def write_reports(self, job: FakeJob) -> None:
        assert job.best is not None
        if forecasting(job):
            self.write_backtest_results(job)
            return
        locations = job.best["CandidateProperties"]["CandidateArtifactLocations"]
        for uri in locations.values():
            bucket, _, prefix = uri[5:].partition("/")
            self.put(bucket, f"{prefix}/report.pdf", b"%PDF-1.4 fake report\n")
        bucket, _, prefix = locations["Explainability"][5:].partition("/")
        analysis = {
            "explanations": {
                "kernel_shap": {
                    "label0": {"global_shap_values": {"duration": 0.9, "age": 0.2, "job": -0.1}}
                }
            }
        }
        self.put(bucket, f"{prefix}/analysis.json", json.dumps(analysis))
