"""SageMaker Autopilot candidate-definition notebooks and generated modules, for tests.

Autopilot's HPO mode writes `SageMakerAutopilotCandidateDefinitionNotebook.ipynb` and a
`generated_module/candidate_data_processors/dppN.py` per candidate. These builders
produce files of the same shape (introduction, one heading + `select_candidate` cell per
candidate, the multi-algorithm tuning cells, `Header`/`as_feature_indices` modules), so
the importer, the fake SageMaker service and the UI tests all read realistic input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXT = "https://github.com/aws/sagemaker-scikit-learn-extension/blob/master/src/sagemaker_sklearn_extension"
LINKS = {
    "RobustImputer": f"{EXT}/impute/base.py",
    "RobustMissingIndicator": f"{EXT}/impute/base.py",
    "ThresholdOneHotEncoder": f"{EXT}/preprocessing/encoders.py",
    "RobustStandardScaler": f"{EXT}/preprocessing/data.py",
    "RobustPCA": f"{EXT}/decomposition/robust_pca.py",
    "QuantileExtremeValuesTransformer": f"{EXT}/preprocessing/base.py",
    "MultiColumnTfidfVectorizer": f"{EXT}/feature_extraction/text.py",
}
#: The strategies Autopilot proposes for a tabular binary problem (bank marketing).
BANK_CANDIDATES: list[tuple[str, str, list[str]]] = [
    ("dpp0", "xgboost", ["RobustImputer", "ThresholdOneHotEncoder", "RobustStandardScaler"]),
    (
        "dpp1",
        "xgboost",
        ["RobustImputer", "ThresholdOneHotEncoder", "RobustPCA", "RobustStandardScaler"],
    ),
    (
        "dpp2",
        "linear-learner",
        [
            "RobustImputer",
            "RobustMissingIndicator",
            "QuantileExtremeValuesTransformer",
            "ThresholdOneHotEncoder",
            "RobustPCA",
            "RobustStandardScaler",
        ],
    ),
]
XGBOOST_RANGES = """    'xgboost': {
        'num_round': IntegerParameter(2, 512, scaling_type='Logarithmic'),
        'max_depth': IntegerParameter(2, 8, scaling_type='Logarithmic'),
        'eta': ContinuousParameter(1e-3, 1.0, scaling_type='Logarithmic'),
        'gamma': ContinuousParameter(1e-6, 64.0, scaling_type='Logarithmic'),
        'min_child_weight': ContinuousParameter(1e-6, 32.0, scaling_type='Logarithmic'),
        'subsample': ContinuousParameter(0.5, 1.0, scaling_type='Linear'),
        'colsample_bytree': ContinuousParameter(0.3, 1.0, scaling_type='Linear'),
        'lambda': ContinuousParameter(1e-6, 2.0, scaling_type='Logarithmic'),
        'alpha': ContinuousParameter(1e-6, 2.0, scaling_type='Logarithmic'),
    },"""
LINEAR_RANGES = """    'linear-learner': {
        'wd': ContinuousParameter(1e-7, 1.0, scaling_type='Logarithmic'),
        'l1': ContinuousParameter(1e-7, 1.0, scaling_type='Logarithmic'),
        'learning_rate': ContinuousParameter(1e-5, 1.0, scaling_type='Logarithmic'),
        'positive_example_weight_mult': CategoricalParameter(['balanced', '0.01', '1', '100']),
    },"""


def _md(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(text: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": text,
    }


def _strategy(transformers: list[str]) -> str:
    def link(name: str) -> str:
        return f"[{name}]({LINKS.get(name, EXT)})"

    numeric = [
        t
        for t in transformers
        if t
        not in (
            "ThresholdOneHotEncoder",
            "RobustPCA",
            "RobustStandardScaler",
            "MultiColumnTfidfVectorizer",
        )
    ]
    merged = [t for t in transformers if t in ("RobustPCA", "RobustStandardScaler")]
    parts = []
    if numeric:
        parts.append("'numeric' features using " + " followed by ".join(link(t) for t in numeric))
    if "ThresholdOneHotEncoder" in transformers:
        parts.append("'categorical' features using " + link("ThresholdOneHotEncoder"))
    if "MultiColumnTfidfVectorizer" in transformers:
        parts.append("'text' features using " + link("MultiColumnTfidfVectorizer"))
    text = "This data transformation strategy first transforms " + ", ".join(parts) + "."
    if merged:
        text += (
            " It merges all the generated features and applies "
            + " followed by ".join(link(t) for t in merged)
            + "."
        )
    return text


def candidate_notebook(
    job: str = "bank-autopilot",
    target: str = "y",
    n_columns: int = 21,
    problem: str = "BinaryClassification",
    metric: str = "F1",
    candidates: list[tuple[str, str, list[str]]] | None = None,
    s3_base: str = "s3://autopilot-test-bucket/autopilot/bank-autopilot",
) -> str:
    """The notebook's JSON text."""
    candidates = candidates or BANK_CANDIDATES
    artifacts = f"{job}-artifacts"
    algorithms = list(dict.fromkeys(a for _, a, _ in candidates))
    cells = [
        _md(
            "# Amazon SageMaker Autopilot Candidate Definition Notebook\n\n"
            f"This notebook was automatically generated by the AutoML job **{job}**.\n"
            "This notebook allows you to customize the candidate definitions and execute the "
            "SageMaker Autopilot workflow.\n\n"
            f"The dataset has **{n_columns}** columns and the column named **{target}** is used as\n"
            f"the target column. This is being treated as a **{problem}** problem.\n"
            f"This notebook will build a **{problem}** model that\n"
            f'**maximizes** the "**{metric}**" quality metric of the trained models.\n'
        ),
        _md("## Sagemaker Setup\n\n### Downloading Generated Modules"),
        _code(
            f"!mkdir -p {artifacts}\n"
            f"!aws s3 sync {s3_base}/sagemaker-automl-candidates/pr-1/generated_module "
            f"{artifacts}/generated_module --only-show-errors\n"
            f"!aws s3 sync {s3_base}/sagemaker-automl-candidates/pr-1/notebooks/sagemaker_automl "
            f"{artifacts}/sagemaker_automl --only-show-errors\n\n"
            "import sys\n"
            f'sys.path.append("{artifacts}")'
        ),
        _code(
            "from sagemaker_automl import uid, AutoMLLocalRunConfig\n\n"
            f"BASE_AUTOML_JOB_NAME = '{job}'\n"
            "BASE_AUTOML_JOB_CONFIG = {\n"
            "    'automl_job_name': BASE_AUTOML_JOB_NAME,\n"
            f"    'automl_output_s3_base_path': '{s3_base}',\n"
            "    'data_transformer_image_repo_version': '2.5-1-cpu-py3',\n"
            "    'algo_image_repo_versions': {'xgboost': '1.7-1-cpu-py3', 'linear-learner': 'latest'}\n"
            "}\n"
        ),
        _md("## Candidate Pipelines"),
        _code(
            "from sagemaker_automl import AutoMLInteractiveRunner, AutoMLLocalCandidate\n\n"
            "automl_interactive_runner = AutoMLInteractiveRunner(AUTOML_LOCAL_RUN_CONFIG)"
        ),
        _md(
            "### Generated Candidates\n\n"
            f"The SageMaker Autopilot Job has analyzed the dataset and has generated **{len(candidates)}** "
            f"machine learning\npipeline(s) that use **{len(algorithms)}** algorithm(s)."
        ),
    ]
    for dpp, algorithm, transformers in candidates:
        module = f"{artifacts}/generated_module/candidate_data_processors/{dpp}.py"
        cells.append(
            _md(
                f"**[{dpp}-{algorithm}]({module})**: {_strategy(transformers)} The\n"
                f"transformed data will be used to tune a *{algorithm}* model. Here is the definition:"
            )
        )
        recordio = "application/x-recordio-protobuf" if algorithm != "xgboost" else "text/csv"
        cells.append(
            _code(
                "automl_interactive_runner.select_candidate({\n"
                '    "data_transformer": {\n'
                f'        "name": "{dpp}",\n'
                '        "training_resource_config": {\n'
                '            "instance_type": "ml.m5.4xlarge",\n'
                '            "instance_count": 1,\n'
                '            "volume_size_in_gb":  50\n'
                "        },\n"
                '        "transform_resource_config": {\n'
                '            "instance_type": "ml.m5.4xlarge",\n'
                '            "instance_count": 1,\n'
                "        },\n"
                '        "transforms_label": True,\n'
                f'        "transformed_data_format": "{recordio}",\n'
                '        "sparse_encoding": False\n'
                "    },\n"
                '    "algorithm": {\n'
                f'        "name": "{algorithm}",\n'
                '        "training_resource_config": {\n'
                '            "instance_type": "ml.m5.4xlarge",\n'
                '            "instance_count": 1,\n'
                "        },\n"
                "    }\n"
                "})"
            )
        )
    objective = {
        "xgboost": f"validation:{metric.lower()}",
        "linear-learner": "validation:binary_f_beta",
    }
    static = {
        "xgboost": "    'xgboost': {\n        'objective': 'binary:logistic',\n    },",
        "linear-learner": "    'linear-learner': {\n        'predictor_type': 'binary_classifier',\n"
        "        'loss': 'logistic',\n        'mini_batch_size': 800,\n    },",
    }
    ranges = {"xgboost": XGBOOST_RANGES, "linear-learner": LINEAR_RANGES}
    cells += [
        _md("## Executing the Candidate Pipelines\n\n### Run Data Transformation Steps"),
        _code("automl_interactive_runner.fit_data_transformers(parallel_jobs=7)"),
        _md("### Multi Algorithm Hyperparameter Tuning"),
        _code(
            "ALGORITHM_OBJECTIVE_METRICS = {\n"
            + "".join(
                f"    '{a}': '{objective.get(a, 'validation:objective_loss')}',\n"
                for a in algorithms
            )
            + "}\n\nSTATIC_HYPERPARAMETERS = {\n"
            + "\n".join(static[a] for a in algorithms if a in static)
            + "\n}"
        ),
        _code(
            "from sagemaker.parameter import CategoricalParameter, ContinuousParameter, "
            "IntegerParameter\n\nALGORITHM_TUNABLE_HYPERPARAMETER_RANGES = {\n"
            + "\n".join(ranges[a] for a in algorithms if a in ranges)
            + "\n}"
        ),
        _code(
            "multi_algo_tuning_parameters = automl_interactive_runner.prepare_multi_algo_parameters(\n"
            "    objective_metrics=ALGORITHM_OBJECTIVE_METRICS,\n"
            "    static_hyperparameters=STATIC_HYPERPARAMETERS,\n"
            "    hyperparameters_search_ranges=ALGORITHM_TUNABLE_HYPERPARAMETER_RANGES)"
        ),
        _code(
            "from sagemaker.tuner import HyperparameterTuner\n\n"
            "tuner = HyperparameterTuner.create(\n"
            "    base_tuning_job_name=base_tuning_job_name,\n"
            "    strategy='Bayesian',\n"
            "    objective_type='Maximize',\n"
            "    max_parallel_jobs=7,\n"
            "    max_jobs=250,\n"
            "    **multi_algo_tuning_parameters,\n"
            ")"
        ),
    ]
    return json.dumps(
        {
            "cells": cells,
            "metadata": {
                "kernelspec": {
                    "display_name": "conda_python3",
                    "language": "python",
                    "name": "conda_python3",
                }
            },
            "nbformat": 4,
            "nbformat_minor": 2,
        },
        indent=1,
    )


def dpp_module(
    columns: list[str],
    target: str,
    numeric: list[str],
    categorical: list[str],
    transformers: list[str],
    threshold: int = 301,
) -> str:
    """A generated data-processing module in Autopilot's layout."""
    imports = {
        "RobustImputer": "impute",
        "RobustMissingIndicator": "impute",
        "ThresholdOneHotEncoder": "preprocessing",
        "RobustStandardScaler": "preprocessing",
        "QuantileExtremeValuesTransformer": "preprocessing",
        "RobustPCA": "decomposition",
    }
    lines = ["from numpy import nan", "from sagemaker_sklearn_extension.externals import Header"]
    for name in transformers:
        lines.append(
            f"from sagemaker_sklearn_extension.{imports.get(name, 'preprocessing')} import {name}"
        )
    lines += [
        "from sagemaker_sklearn_extension.preprocessing import RobustLabelEncoder",
        "from sklearn.compose import ColumnTransformer",
        "from sklearn.pipeline import Pipeline",
        "",
        f"HEADER = Header(column_names={columns!r}, target_column_name={target!r})",
        "",
        "",
        "def build_feature_transform():",
        '    """ Returns the model definition representing feature processing."""',
        f"    numeric = HEADER.as_feature_indices({numeric!r})",
        f"    categorical = HEADER.as_feature_indices({categorical!r})",
        "    numeric_processors = Pipeline(steps=["
        + ", ".join(
            f"('{t.lower()}', {t}(strategy='constant', fill_values=nan))"
            if t == "RobustImputer"
            else f"('{t.lower()}', {t}())"
            for t in transformers
            if t in ("RobustImputer", "RobustMissingIndicator", "QuantileExtremeValuesTransformer")
        )
        + "])",
        f"    categorical_processors = Pipeline(steps=[('thresholdonehotencoder', ThresholdOneHotEncoder(threshold={threshold}))])",
        "    column_transformer = ColumnTransformer(transformers=[('numeric_processing', numeric_processors, numeric), ('categorical_processing', categorical_processors, categorical)])",
        "    return Pipeline(steps=[('column_transformer', column_transformer)"
        + "".join(
            f", ('{t.lower()}', {t}())"
            for t in transformers
            if t in ("RobustPCA", "RobustStandardScaler")
        )
        + "])",
        "",
        "",
        "def build_label_transform():",
        "    return RobustLabelEncoder(labels=['no'], fill_label_value='yes', include_unseen_class=True)",
        "",
    ]
    return "\n".join(lines)


BANK_COLUMNS = [
    "age", "job", "marital", "education", "default", "housing", "loan", "contact", "month",
    "day_of_week", "duration", "campaign", "pdays", "previous", "poutcome", "emp.var.rate",
    "cons.price.idx", "cons.conf.idx", "euribor3m", "nr.employed", "y",
]  # fmt: skip
BANK_CATEGORICAL = [
    "job", "marital", "education", "default", "housing", "loan", "contact", "month",
    "day_of_week", "poutcome",
]  # fmt: skip


def write_bank_notebook(folder: Path, job: str = "bank-autopilot", modules: bool = True) -> Path:
    """The bank-marketing job's notebook (and its generated modules) under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "SageMakerAutopilotCandidateDefinitionNotebook.ipynb"
    path.write_text(candidate_notebook(job=job), "utf-8")
    if modules:
        dpp = folder / f"{job}-artifacts" / "generated_module" / "candidate_data_processors"
        dpp.mkdir(parents=True, exist_ok=True)
        numeric = [c for c in BANK_COLUMNS if c not in BANK_CATEGORICAL and c != "y"]
        for name, _, transformers in BANK_CANDIDATES:
            (dpp / f"{name}.py").write_text(
                dpp_module(BANK_COLUMNS, "y", numeric, BANK_CATEGORICAL, transformers), "utf-8"
            )
    return path
