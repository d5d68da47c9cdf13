"""Sample weights and algorithm choice on SageMaker (issue #18 items 1 and 7).

Weights are forwarded as `SampleWeightAttributeName` (the fake checks the request against
botocore's model), left out of the features, and refused with a clear 400 where AWS does
not support them (outside the ensembling mode). Chosen algorithms go out as
`CandidateGenerationConfig.AlgorithmsConfig`, only in the modes and with the algorithms
AWS allows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from fake_automl import FakeAutoML
from sm_support import BUCKET, upload_tutorial_data

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend


def test_weight_column_reaches_the_request(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    spec = m.ExperimentSpec(
        name="weighted",
        input_uri=tutorial_uri,
        target="y",
        sample_weight="campaign",
        exclude_columns=["duration"],
        training_mode=m.TrainingMode.ensembling,
        output_uri=f"s3://{BUCKET}/weighted/out",
    )
    validation = run(backend.validate_experiment(spec))
    assert validation.name_available
    experiment = run(backend.create_experiment(spec))
    assert experiment.spec.sample_weight == "campaign"
    request = fake.sent("CreateAutoMLJobV2")[0]
    tabular = request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    assert tabular["SampleWeightAttributeName"] == "campaign"
    assert tabular["Mode"] == "ENSEMBLING"
    assert not fake.problems, fake.problems  # valid for botocore's model
    body = (
        boto_session.client("s3")
        .get_object(Bucket=BUCKET, Key="weighted/out/feature-specification.json")["Body"]
        .read()
    )
    # Neither the target, the excluded column nor the weights are features.
    assert json.loads(body) == {"FeatureAttributeNames": ["age", "job", "marital"]}


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"training_mode": m.TrainingMode.auto}, ex.InvalidRequest, "ensembling training mode"),
        (
            {"training_mode": m.TrainingMode.hyperparameter_tuning},
            ex.InvalidRequest,
            "ensembling training mode",
        ),
        (
            {"mode": m.RunMode.pilot, "training_mode": m.TrainingMode.ensembling},
            ex.InvalidRequest,
            "pilot run",
        ),
        ({"sample_weight": "weights"}, ex.InvalidDataset, "'weights' is not in"),
    ],
)
def test_unsupported_weights_are_refused_before_sending(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    changes: dict[str, Any],
    error: type,
    words: str,
) -> None:
    values: dict[str, Any] = {
        "name": "bad-weights",
        "input_uri": tutorial_uri,
        "target": "y",
        "sample_weight": "campaign",
        "training_mode": m.TrainingMode.ensembling,
        **changes,
    }
    spec = m.ExperimentSpec(**values)
    for call in (backend.validate_experiment, backend.create_experiment):
        with pytest.raises(error, match=words) as raised:
            run(call(spec))
        assert raised.value.details[0]["field"] == "sample_weight"
    assert not fake.sent("CreateAutoMLJobV2")


def test_the_fake_refuses_weights_outside_ensembling(
    backend: SageMakerBackend, run: Any, local_csv: Path, fake: FakeAutoML, monkeypatch
) -> None:
    """The rule our check mirrors is AWS's (the fake answers as AWS documents it), so the
    check is not stricter than needed: without it, AWS itself would refuse the job."""
    from jupyter_autopilot.backends.sagemaker import jobs

    uri = upload_tutorial_data(backend, run, local_csv)
    monkeypatch.setattr(jobs, "check_spec", lambda spec: None)
    spec = m.ExperimentSpec(
        name="hpo-weights",
        input_uri=uri,
        target="y",
        sample_weight="campaign",
        training_mode=m.TrainingMode.hyperparameter_tuning,
    )
    with pytest.raises(ex.AutopilotError, match="ENSEMBLING mode only"):
        run(backend.create_experiment(spec))


# -- algorithm choice (issue #18 item 7) ---------------------------------------------------
@pytest.mark.parametrize(
    ("training_mode", "mode", "algorithms"),
    [
        (m.TrainingMode.ensembling, m.RunMode.complete, ["lightgbm", "catboost", "nn-torch"]),
        (m.TrainingMode.hyperparameter_tuning, m.RunMode.complete, ["xgboost", "mlp"]),
        (m.TrainingMode.auto, m.RunMode.pilot, ["linear-learner"]),
    ],
)
def test_chosen_algorithms_reach_the_request(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    training_mode: m.TrainingMode,
    mode: m.RunMode,
    algorithms: list[str],
) -> None:
    spec = m.ExperimentSpec(
        name="chosen",
        input_uri=tutorial_uri,
        target="y",
        training_mode=training_mode,
        mode=mode,
        algorithms=[m.AutoMLAlgorithm(a) for a in algorithms],
    )
    experiment = run(backend.create_experiment(spec))
    assert [a.value for a in experiment.spec.algorithms] == algorithms
    request = fake.sent("CreateAutoMLJobV2")[0]
    tabular = request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    assert tabular["CandidateGenerationConfig"] == {
        "AlgorithmsConfig": [{"AutoMLAlgorithms": algorithms}]
    }
    assert not fake.problems, fake.problems


def test_no_algorithms_means_all(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(backend.create_experiment(m.ExperimentSpec(name="all", input_uri=tutorial_uri, target="y")))
    request = fake.sent("CreateAutoMLJobV2")[0]
    assert "CandidateGenerationConfig" not in request["AutoMLProblemTypeConfig"]["TabularJobConfig"]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"training_mode": m.TrainingMode.auto}, "not in auto"),
        ({"training_mode": m.TrainingMode.hyperparameter_tuning}, "does not train lightgbm"),
        ({"training_mode": m.TrainingMode.ensembling, "algorithms": ["mlp"]}, "does not train mlp"),
    ],
)
def test_algorithms_that_do_not_fit_the_mode_are_refused(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    changes: dict[str, Any],
    words: str,
) -> None:
    values: dict[str, Any] = {
        "name": "bad-algorithms",
        "input_uri": tutorial_uri,
        "target": "y",
        "algorithms": ["lightgbm"],
        **changes,
    }
    spec = m.ExperimentSpec(**values)
    for call in (backend.validate_experiment, backend.create_experiment):
        with pytest.raises(ex.InvalidRequest, match=words) as raised:
            run(call(spec))
        assert raised.value.details[0]["field"] == "algorithms"
    assert not fake.sent("CreateAutoMLJobV2")


def test_the_fake_refuses_algorithms_in_auto_mode(
    backend: SageMakerBackend, run: Any, local_csv: Path, fake: FakeAutoML, monkeypatch
) -> None:
    from jupyter_autopilot.backends.sagemaker import jobs

    uri = upload_tutorial_data(backend, run, local_csv)
    monkeypatch.setattr(jobs, "check_spec", lambda spec: None)
    spec = m.ExperimentSpec(
        name="auto-algorithms", input_uri=uri, target="y", algorithms=["xgboost"]
    )
    with pytest.raises(ex.AutopilotError, match="AUTO"):
        run(backend.create_experiment(spec))


#: The forecasting algorithms of botocore's AutoMLAlgorithm enum (TimeSeriesForecasting
#: jobs; the tabular modes refuse them).
FORECASTING_ALGORITHMS = {"cnn-qr", "deepar", "prophet", "npts", "arima", "ets"}


def test_algorithm_names_follow_botocores_enum() -> None:
    """The per-mode lists (the backend's and the fake's, kept apart so that the fake checks
    the backend independently) and the API's enum name exactly botocore's tabular
    algorithms: a name AWS adds or drops fails here rather than on AWS."""
    import botocore.session
    from fake_rules import ALGORITHMS_BY_MODE as FAKE_BY_MODE

    from jupyter_autopilot.backends.sagemaker.jobs import ALGORITHMS_BY_MODE

    model = botocore.session.get_session().get_service_model("sagemaker")
    tabular = set(model.shape_for("AutoMLAlgorithm").enum) - FORECASTING_ALGORITHMS
    assert {a.value for a in m.AutoMLAlgorithm} == tabular
    assert set().union(*ALGORITHMS_BY_MODE.values()) == tabular
    assert set().union(*FAKE_BY_MODE.values()) == tabular
    assert {k.value.upper(): set(v) for k, v in ALGORITHMS_BY_MODE.items()} == FAKE_BY_MODE
