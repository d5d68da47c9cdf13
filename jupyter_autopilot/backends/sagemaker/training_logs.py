"""Learning curves of SageMaker training jobs, read from their CloudWatch logs.

SageMaker's built-in XGBoost (what Autopilot's HPO candidates train) logs one line per
boosting round, e.g. ``[12]#011train-logloss:0.25702#011validation-logloss:0.28126``
(``#011`` is the tab the log agent escapes); the job's metric definitions match the same
lines. Reading the log stream gives the full per-round train/validation curve, which the
training rules then check exactly as they do for local trials. CloudWatch metrics would
only give per-minute averages.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ...models import TrainingCurve, TrainingFinding
from .session import AwsSession

LOG_GROUP = "/aws/sagemaker/TrainingJobs"
#: Upper bound on log events read per training job (a 3,000-round job logs ~3,000 lines).
MAX_EVENTS = 20_000
#: `[12]` starts a round's line (timestamps such as `[20:56:24]` have other characters).
_ROUND = re.compile(r"\[(\d+)\](.*)")
_PAIR = re.compile(r"(?:#011|\t)\s*([\w.-]+?)-([\w@.:-]+?):([-+]?[\d.]+(?:[eE][-+]?\d+)?)")


def goal_of(metric: str) -> str:
    """The direction of an XGBoost metric (one table for the whole project: the engine's)."""
    from ...engine.metrics import metric_goal

    return metric_goal(metric)


def parse_training_log(lines: list[str], train_rows: int | None = None) -> list[TrainingCurve]:
    """Per-round curves for every metric logged on both the train and validation sets."""
    rounds: dict[str, dict[str, dict[int, float]]] = {}
    for line in lines:
        for match in _ROUND.finditer(line.replace("\\t", "\t")):
            iteration = int(match.group(1))
            for data, metric, value in _PAIR.findall(match.group(2)):
                number = float(value)
                if math.isfinite(number):
                    rounds.setdefault(metric, {}).setdefault(data, {})[iteration] = number
    curves: list[TrainingCurve] = []
    for metric, by_data in rounds.items():
        train, valid = by_data.get("train"), by_data.get("validation")
        if not train or not valid:
            continue
        iterations = sorted(set(train) & set(valid))
        if not iterations:
            continue
        goal = goal_of(metric)
        values = [valid[i] for i in iterations]
        best_value = max(values) if goal == "maximize" else min(values)
        best = iterations[values.index(best_value)] + 1
        curves.append(
            TrainingCurve(
                metric=metric,
                goal=goal,
                iterations=[i + 1 for i in iterations],  # rounds from 1, as local curves
                train=[train[i] for i in iterations],
                validation=values,
                best_iteration=best,
                train_rows=train_rows,
            )
        )
    return curves


def curves_and_findings(
    lines: list[str],
) -> tuple[list[TrainingCurve], list[TrainingFinding]]:
    """Downsampled curves (losses first) and the training rules' findings on the first."""
    from ...engine.training_insight import downsample
    from ...engine.training_rules import curve_findings

    curves = sorted(
        parse_training_log(lines),
        key=lambda c: (c.goal != "minimize", -len(c.iterations), c.metric),
    )
    findings = curve_findings(curves[0]) if curves else []
    return [downsample(c) for c in curves], findings


def read_training_log(aws: AwsSession, job_name: str) -> list[str]:
    """The messages of a training job's first log stream (blocking; run in the AWS pool)."""
    streams = aws.call_sync(
        "logs",
        "DescribeLogStreams",
        f"find the logs of the training job {job_name}",
        logGroupName=LOG_GROUP,
        logStreamNamePrefix=f"{job_name}/",
        limit=5,
    ).get("logStreams", [])
    if not streams:
        return []
    stream = sorted(s["logStreamName"] for s in streams)[0]
    messages: list[str] = []
    token: str | None = None
    while len(messages) < MAX_EVENTS:
        params: dict[str, Any] = {
            "logGroupName": LOG_GROUP,
            "logStreamName": stream,
            "startFromHead": True,
            "limit": 10_000,
        }
        if token:
            params["nextToken"] = token
        page = aws.call_sync(
            "logs", "GetLogEvents", f"read the logs of the training job {job_name}", **params
        )
        events = page.get("events", [])
        messages.extend(str(e.get("message", "")) for e in events)
        next_token = page.get("nextForwardToken")
        if not events or next_token == token:
            break
        token = next_token
    return messages[:MAX_EVENTS]
