"""The candidate definitions notebook (stage 2), rewritten with the leaderboard after tuning.

A real, runnable notebook: executed top to bottom against the same CSV it rebuilds every
candidate with scikit-learn, LightGBM, XGBoost and CatBoost and prints its validation metric. The
helper code (recipes, estimators, metrics) is the engine's own source, embedded verbatim,
so the notebook needs no jupyter-autopilot and reproduces the leaderboard exactly.
"""

from __future__ import annotations

import pprint
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbformat.v4 import new_code_cell, new_markdown_cell

from ...models import TrainingCurve, TrainingFinding
from .. import algorithms, metrics, recipes
from ..candidates import CandidateDefinition, definition_summary, json_safe
from ..dataset import Dataset
from .common import (
    data_path_literal,
    md,
    md_table,
    new_notebook,
    read_csv_options,
    write_notebook,
)


@dataclass
class TunedEntry:
    """A leaderboard entry the notebook rebuilds and checks."""

    name: str
    definition: str
    algorithm: str
    recipe: str
    params: dict[str, Any]
    threshold: float | None
    expected: float
    training_curves: list[TrainingCurve] = field(default_factory=list)
    training_findings: list[TrainingFinding] = field(default_factory=list)
    #: A trial of a search on a sample (`engine.sampling`): the sample's size (drawn with
    #: `sample_rows` and the seed); None: fitted on the whole training split.
    sample: int | None = None


@dataclass
class EnsembleEntry:
    name: str
    weights: dict[str, float]  # member candidate name -> weight
    threshold: float | None
    expected: float
    members: list[TunedEntry] = field(default_factory=list)
    training_findings: list[TrainingFinding] = field(default_factory=list)


@dataclass
class BaggedEntry:
    """The chosen model refitted by k-fold bagging (`engine.bagging`)."""

    name: str
    weights: dict[str, float]  # member candidate name -> weight
    folds: int
    threshold: float | None
    expected: float


_BAGGED_CODE = """from scipy import sparse

by_name = {entry['name']: entry for entry in TUNED}
y_all = np.concatenate([y_train, y_valid])  # the training rows, then the validation rows
w_all = None if w_train is None else np.concatenate([w_train, w_valid])
folds = fold_ids(y_all, TASK, BAGGED['folds'], SEED)
total = sum(BAGGED['weights'].values())
oof_blend = 0.0
for name, weight in BAGGED['weights'].items():
    entry = by_name[name]
    # The recipe fitted on the training split, as in tuning; both splits transformed by it.
    preprocessor = build_preprocessor(RECIPES[entry['recipe']])
    A, B = preprocessor.fit_transform(X_train, y_train), preprocessor.transform(X_valid)
    X_all = sparse.vstack([A, B]).tocsr() if sparse.issparse(A) else np.vstack([A, B])
    oof = None
    for k in range(BAGGED['folds']):
        model = make_estimator(entry['algorithm'], entry['params'], TASK, SEED, N_JOBS)
        fit_weights = {} if w_all is None else {'sample_weight': w_all[folds != k]}
        model.fit(X_all[folds != k], y_all[folds != k], **fit_weights)
        pred = predict(model, X_all[folds == k])
        if oof is None:
            oof = np.zeros((len(y_all),) + pred.shape[1:])
        oof[folds == k] = pred
    oof_blend = oof_blend + oof * (weight / total)
value = score_all(TASK, y_all, oof_blend, BAGGED['threshold'], w_all)[METRIC]
REPRODUCTION[BAGGED['name']] = {'expected': BAGGED['expected'], 'reproduced': value}
value"""


def _module_source(module: Any) -> str:
    return Path(module.__file__).read_text(encoding="utf-8")


def _literal(value: Any) -> str:
    """A Python literal for JSON-like data (repr keeps None/True/False valid Python)."""
    return repr(json_safe(value))


def _settings_code(
    dataset: Dataset, path: Path, seed: int, validation_fraction: float, n_jobs: int
) -> str:
    fmt = dataset.fmt
    read_options = read_csv_options(fmt)
    return "\n".join(
        [
            "import json",
            "import time",
            "",
            "import numpy as np",
            "import pandas as pd",
            "from sklearn.pipeline import Pipeline",
            "",
            f"DATA_PATH = {data_path_literal(dataset.source, path.parent)!r}  # relative to this notebook",
            f"READ_OPTIONS = {read_options!r}",
            f"HAS_HEADER = {fmt.has_header!r}",
            f"TARGET = {dataset.target!r}",
            f"WEIGHT = {dataset.weight_column!r}  # the sample weight column (None: unweighted)",
            f"TASK = {dataset.problem_type.value!r}  # binary, multiclass or regression",
            f"METRIC = {dataset.info.metric.value!r}  # the objective metric",
            f"LABELS = {_literal(dataset.info.labels)}  # class order of predict_proba columns (positive last)",
            f"SEED = {seed!r}",
            f"VALIDATION_FRACTION = {validation_fraction!r}  # unused with a validation file",
            f"VALIDATION_PATH = {_validation_literal(dataset, path)!r}  # your validation file (None: split the data file)",
            f"VALIDATION_READ_OPTIONS = {_validation_options(dataset)!r}",
            f"N_JOBS = {n_jobs!r}",
            "# Inferred type of every input column; 'id' and 'constant' columns are not used.",
            f"COLUMN_TYPES = {_literal(dataset.feature_types)}",
        ]
    )


def _validation_literal(dataset: Dataset, path: Path) -> str | None:
    if dataset.validation_source is None:
        return None
    return data_path_literal(dataset.validation_source, path.parent)


def _validation_options(dataset: Dataset) -> dict[str, Any] | None:
    return None if dataset.validation_fmt is None else read_csv_options(dataset.validation_fmt)


def _load_code() -> str:
    return """def read_rows(path, options):
    \"\"\"A file's rows with a target value (and a usable weight), and their weights.\"\"\"
    frame = pd.read_csv(path, **options)
    if HAS_HEADER:
        frame.columns = [str(c).strip() for c in frame.columns]
    else:
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
    frame = frame[frame[TARGET].notna()].reset_index(drop=True)
    weights = None
    if WEIGHT is not None:
        # Rows without a usable weight are left out; the weights are not a feature.
        weights = read_weights(frame[WEIGHT])
        frame = frame[~np.isnan(weights)].reset_index(drop=True)
        weights = weights[~np.isnan(weights)]
    return frame, weights


frame, weights = read_rows(DATA_PATH, READ_OPTIONS)
in_validation = None
if VALIDATION_PATH is not None:
    # Your validation file's rows are the validation split (never trained on); they follow
    # the training rows, with the training file's columns in its order.
    valid_frame, valid_weights = read_rows(VALIDATION_PATH, VALIDATION_READ_OPTIONS)
    in_validation = np.arange(len(frame) + len(valid_frame)) >= len(frame)
    frame = pd.concat([frame, valid_frame[list(frame.columns)]], ignore_index=True)
    if WEIGHT is not None:
        weights = np.concatenate([weights, valid_weights])

X = coerce_frame(frame, COLUMN_TYPES)
y = encode_target(frame[TARGET], LABELS)
if in_validation is None:
    train_rows, valid_rows = split_rows(y, TASK, VALIDATION_FRACTION, SEED)
else:
    train_rows, valid_rows = np.flatnonzero(~in_validation), np.flatnonzero(in_validation)
X_train, X_valid = X.iloc[train_rows], X.iloc[valid_rows]
y_train, y_valid = y[train_rows], y[valid_rows]
w_train = w_valid = None
if WEIGHT is not None:
    w_train, w_valid = weights[train_rows], weights[valid_rows]
print(f"{len(X_train)} training rows, {len(X_valid)} validation rows, {X.shape[1]} input columns")"""


def _run_code() -> str:
    return '''def build_pipeline(recipe_name, algorithm, params):
    """Preprocessing recipe + estimator, as one scikit-learn Pipeline."""
    return Pipeline([
        ("preprocess", build_preprocessor(RECIPES[recipe_name])),
        ("model", make_estimator(algorithm, params, TASK, SEED, N_JOBS)),
    ])


def predict(model, X):
    return model.predict(X) if TASK == "regression" else model.predict_proba(X)


def run_candidate(recipe_name, algorithm, params, threshold=None, tune=False, sample=None):
    """Fit on the training split; return (validation objective, all metrics, predictions, model).

    `sample`: a trial of the search on a sample of a large training split: the recipe is
    fitted on every training row, the model on the same stratified sample as in tuning."""
    model = build_pipeline(recipe_name, algorithm, params)
    if sample is None:
        fit_weights = {} if w_train is None else {"model__sample_weight": w_train}
        model.fit(X_train, y_train, **fit_weights)
    else:
        rows = sample_rows(y_train, TASK, sample, SEED)
        features = model[:-1].fit_transform(X_train, y_train)
        fit_weights = {} if w_train is None else {"sample_weight": w_train[rows]}
        model[-1].fit(features[rows], y_train[rows], **fit_weights)
    pred = predict(model, X_valid)
    if tune:
        threshold = tune_threshold(TASK, METRIC, y_valid, pred, w_valid)
    scores = score_all(TASK, y_valid, pred, threshold, w_valid)
    return scores[METRIC], scores, pred, model'''


_TRAINING_CHART_CODE = """from IPython.display import display


def training_chart(name, curve):
    \"\"\"A Vega-Lite line chart of one learning curve (JupyterLab draws it natively).\"\"\"
    values = []
    for i, iteration in enumerate(curve['iterations']):
        values.append({'iteration': iteration, 'data': 'train', 'value': curve['train'][i]})
        values.append({'iteration': iteration, 'data': 'validation', 'value': curve['validation'][i]})
    layers = [{
        'data': {'values': values},
        'mark': {'type': 'line', 'tooltip': True},
        'encoding': {
            'x': {'field': 'iteration', 'type': 'quantitative', 'title': 'Iteration'},
            'y': {'field': 'value', 'type': 'quantitative', 'title': curve['metric'], 'scale': {'zero': False}},
            'color': {'field': 'data', 'type': 'nominal', 'title': None},
        },
    }]
    if curve['best_iteration'] is not None:
        layers.append({
            'data': {'values': [{'iteration': curve['best_iteration']}]},
            'mark': {'type': 'rule', 'strokeDash': [4, 4]},
            'encoding': {'x': {'field': 'iteration', 'type': 'quantitative'}},
        })
    return {
        '$schema': 'https://vega.github.io/schema/vega-lite/v5.json',
        'title': f"{name}: {curve['metric']} per iteration (dashed: the iteration kept)",
        'width': 480,
        'height': 220,
        'layer': layers,
    }


curve_rows = []
for name, curve in TRAINING_CURVES.items():
    at = curve['iterations'].index(curve['best_iteration']) if curve['best_iteration'] in curve['iterations'] else -1
    curve_rows.append({
        'candidate': name,
        'metric': curve['metric'],
        'iterations': curve['iterations'][-1],
        'best iteration': curve['best_iteration'],
        'train at best': curve['train'][at],
        'validation at best': curve['validation'][at],
        'validation at end': curve['validation'][-1],
    })
    summary = f"{name}: {curve['metric']} from {curve['validation'][0]:.4g} to {curve['validation'][at]:.4g} (validation)"
    display({'application/vnd.vegalite.v5+json': training_chart(name, curve), 'text/plain': summary}, raw=True)
pd.DataFrame(curve_rows).set_index('candidate')"""


def _curves_literal(curves: dict[str, TrainingCurve]) -> str:
    """The curves as a readable Python literal (values to 6 significant digits: plenty for
    a plot, and a third of the text)."""
    data = {}
    for name, curve in curves.items():
        item = curve.model_dump(mode="json")
        for key in ("train", "validation"):
            item[key] = [float(f"{v:.6g}") for v in item[key]]
        data[name] = item
    return pprint.pformat(json_safe(data), width=100, compact=True, sort_dicts=False)


def _training_cells(tuned: list[TunedEntry], ensemble: EnsembleEntry | None) -> list[Any]:
    """The "Training insight" section: recorded learning curves and rule findings."""
    curves = {t.name: t.training_curves[0] for t in tuned if t.training_curves}
    findings = [(t.name, f) for t in tuned for f in t.training_findings]
    if ensemble is not None:
        findings += [(ensemble.name, f) for f in ensemble.training_findings]
    if not curves and not findings:
        return []
    if findings:
        listed = "\n".join(
            f"- **{md(name)}** · {md(f.rule)} ({md(f.severity)}"
            + (f", iteration {f.iteration}" if f.iteration is not None else "")
            + f"): {md(f.message)} *Suggestion:* {md(f.suggestion)}"
            for name, f in findings
        )
    else:
        listed = "No rule fired for these candidates."
    cells = [
        new_markdown_cell(
            "## Training insight\n\n"
            "While tuning trained the boosting candidates it recorded their learning curves: "
            "the model's own evaluation metric (its loss, or AUC when that is the objective) "
            "after every boosting round, on the training data (a sample of it on large data) "
            "and on the validation split, stored downsampled to at most 200 points. Rules "
            "then look for trouble: *overfitting* (validation loss rising after its minimum "
            "while training loss keeps falling), *stalled training* (the loss hardly "
            "improving, or only in the first rounds) and *class imbalance* (a rare class the "
            "model mostly misses). Their thresholds are documented in "
            "`jupyter_autopilot.engine.training_rules`. Forests, linear models and the "
            "ensemble have no iterations, hence no curve.\n\n"
            "### Findings\n\n" + listed
        )
    ]
    if curves:
        cells.append(
            new_code_cell(
                "# Recorded during tuning (iterations from 1; best_iteration = the one kept).\n"
                f"TRAINING_CURVES = {_curves_literal(curves)}\n\n" + _TRAINING_CHART_CODE
            )
        )
    return cells


def write_candidates_notebook(
    path: Path,
    *,
    dataset: Dataset,
    definitions: list[CandidateDefinition],
    experiment_name: str,
    seed: int,
    validation_fraction: float,
    n_jobs: int,
    tuned: list[TunedEntry] | None = None,
    ensemble: EnsembleEntry | None = None,
    bagged: BaggedEntry | None = None,
) -> Path:
    """Write `candidate_definitions.ipynb`; with `tuned`, add the leaderboard reproduction."""
    recipes_used: dict[str, dict[str, Any]] = {}
    for definition in definitions:
        recipes_used.setdefault(definition.recipe_name, definition.recipe)
    cells = [
        new_markdown_cell(
            f"# Candidate definitions: {md(experiment_name)}\n\n"
            "Written by jupyter-autopilot (stage 2, *Candidate Definitions Generated*). Each candidate "
            "is a **preprocessing recipe** (imputation, scaling, encodings, text and date features) "
            "combined with an **algorithm** and its **hyperparameter search space**. "
            "Run the notebook top to bottom (it reads the same CSV file) to rebuild the candidates "
            "with scikit-learn, LightGBM, XGBoost and CatBoost and compute their validation metric."
            + (
                " The last section rebuilds the tuned candidates of the leaderboard and checks that "
                "their validation metric matches."
                if tuned
                else " Model tuning searches these spaces (early stopping picks the number of "
                "boosting rounds on the validation split)."
            )
        ),
        new_markdown_cell(
            "## Settings\n\nThe data file, the target and how the data was read and split "
            + (
                f"(stratified, {validation_fraction:.0%} validation, seed {seed})."
                if dataset.validation_source is None
                else f"(the validation rows are those of your validation file "
                f"`{md(dataset.validation_source.name)}`, `VALIDATION_PATH`; no random split)."
            )
            + (
                f" Rows are weighted by the column `{dataset.weight_column}` (`WEIGHT`): every "
                "model is fitted with these sample weights and every metric is weighted."
                if dataset.weight_column
                else ""
            )
        ),
        new_code_cell(_settings_code(dataset, path, seed, validation_fraction, n_jobs)),
        new_markdown_cell(
            "## Helper code\n\nThe engine's own preprocessing recipes, estimators and metrics "
            "(copied from `jupyter_autopilot.engine.recipes`, `.algorithms` and `.metrics`), "
            "so this notebook runs on its own and builds exactly what the engine built."
        ),
        new_code_cell(_module_source(recipes)),
        new_code_cell(_module_source(algorithms)),
        new_code_cell(_module_source(metrics)),
        new_markdown_cell("## Load and split the data"),
        new_code_cell(_load_code()),
        new_markdown_cell("## Preprocessing recipes\n\nColumn lists and options of each recipe."),
        new_code_cell(
            "RECIPES = " + pprint.pformat(json_safe(recipes_used), width=100, sort_dicts=False)
        ),
        new_code_cell(_run_code()),
        new_markdown_cell(
            "## Candidate definitions\n\n"
            + md_table(
                ["Definition", "Algorithm", "Preprocessing", "Description"],
                [[d.name, d.algorithm, d.recipe_name, d.description] for d in definitions],
            )
        ),
    ]
    summaries = {d.name: definition_summary(d) for d in definitions}
    cells.append(
        new_code_cell(
            "# For each definition: algorithm, recipe, fixed settings, search space and the first\n"
            "# configuration tuning tries.\n"
            f"DEFINITIONS = {_literal(summaries)}\n"
            "pd.DataFrame(DEFINITIONS).T[['algorithm', 'preprocessing', 'description']]"
        )
    )
    defaults = {
        d.name: {"algorithm": d.algorithm, "recipe": d.recipe_name, "params": d.default_params()}
        for d in definitions
    }
    cells += [
        new_markdown_cell(
            "## Run the definitions with their first configuration\n\n"
            "Boosting uses a fixed 300 rounds here; during tuning early stopping chooses it. "
            + (
                "Set `RUN_DEFAULTS = True` to run this section (the tuned candidates are below)."
                if tuned
                else ""
            )
        ),
        new_code_cell(
            f"RUN_DEFAULTS = {not tuned!r}\n"
            f"DEFAULT_CONFIGS = {_literal(defaults)}\n"
            "if RUN_DEFAULTS:\n"
            "    rows = []\n"
            "    for name, config in DEFAULT_CONFIGS.items():\n"
            "        started = time.perf_counter()\n"
            "        value, scores, _, _ = run_candidate(config['recipe'], config['algorithm'], config['params'], tune=True)\n"
            "        rows.append({'definition': name, METRIC: value, 'seconds': round(time.perf_counter() - started, 2)})\n"
            "    display(pd.DataFrame(rows).set_index('definition'))"
        ),
    ]
    if tuned:
        entries = [
            {
                "name": t.name,
                "definition": t.definition,
                "algorithm": t.algorithm,
                "recipe": t.recipe,
                "params": t.params,
                "threshold": t.threshold,
                "expected": t.expected,
                "sample": t.sample,
            }
            for t in tuned
        ]
        cells += [
            new_markdown_cell(
                "## Tuned candidates (leaderboard)\n\nThe best trial of each definition"
                + (" and the members of the ensemble" if ensemble else "")
                + ", with the hyperparameters tuning found (including the number of boosting rounds "
                "early stopping chose and, for F1, the decision threshold). Each is refit here and its "
                "validation metric compared with the leaderboard."
                + (
                    " The training split was large, so tuning searched on a stratified sample "
                    "of its rows (`sample`: its size, drawn with the seed) and refit the best "
                    "configurations on all rows (`sample` None); each is rebuilt the same way."
                    if any(t.sample is not None for t in tuned)
                    else ""
                )
                + "\n\n"
                + md_table(
                    ["Candidate", "Algorithm", "Preprocessing", "Leaderboard value"],
                    [[t.name, t.algorithm, t.recipe, f"{t.expected:.5f}"] for t in tuned],
                )
            ),
            new_code_cell(
                f"TUNED = {_literal(entries)}\n"
                "REPRODUCTION = {}\n"
                "PREDICTIONS = {}\n"
                "for entry in TUNED:\n"
                "    value, scores, pred, _ = run_candidate(entry['recipe'], entry['algorithm'], entry['params'], entry['threshold'], sample=entry['sample'])\n"
                "    PREDICTIONS[entry['name']] = pred\n"
                "    REPRODUCTION[entry['name']] = {'expected': entry['expected'], 'reproduced': value}\n"
                "pd.DataFrame(REPRODUCTION).T"
            ),
        ]
        if ensemble:
            cells += [
                new_markdown_cell(
                    f"### Ensemble {md(ensemble.name)}\n\nA weighted average of the members' validation "
                    "predictions (weights from greedy ensemble selection)."
                ),
                new_code_cell(
                    f"ENSEMBLE = {_literal({'name': ensemble.name, 'weights': ensemble.weights, 'threshold': ensemble.threshold, 'expected': ensemble.expected})}\n"
                    "total = sum(ENSEMBLE['weights'].values())\n"
                    "blend = sum(PREDICTIONS[name] * (w / total) for name, w in ENSEMBLE['weights'].items())\n"
                    "value = score_all(TASK, y_valid, blend, ENSEMBLE['threshold'], w_valid)[METRIC]\n"
                    "REPRODUCTION[ENSEMBLE['name']] = {'expected': ENSEMBLE['expected'], 'reproduced': value}\n"
                    "value"
                ),
            ]
        if bagged:
            cells += [
                new_markdown_cell(
                    f"### Bagged model {md(bagged.name)} (the model delivered)\n\n"
                    f"The chosen model refitted by {bagged.folds}-fold bagging on all rows: the "
                    "training and validation rows are split into folds; each member's "
                    "configuration is fitted once per fold on the other folds' rows and predicts "
                    "the fold it did not see. Its metric is computed from these out-of-fold "
                    "predictions for every row (blended with the members' weights); the saved "
                    "model averages the fold models."
                ),
                new_code_cell(
                    "BAGGED = "
                    + _literal(
                        {
                            "name": bagged.name,
                            "weights": bagged.weights,
                            "folds": bagged.folds,
                            "threshold": bagged.threshold,
                            "expected": bagged.expected,
                        }
                    )
                    + "\n"
                    + _BAGGED_CODE
                ),
            ]
        cells += [
            new_markdown_cell(
                "### Check\n\nEvery rebuilt candidate should match its leaderboard value."
            ),
            new_code_cell(
                "for name, row in REPRODUCTION.items():\n"
                "    row['difference'] = abs(row['reproduced'] - row['expected'])\n"
                "print(json.dumps(REPRODUCTION))\n"
                "worst = max(row['difference'] for row in REPRODUCTION.values())\n"
                "print(f'largest difference: {worst:.6f}')"
            ),
        ]
        cells += _training_cells(tuned, ensemble)
    cells += [
        new_markdown_cell(
            "## Tune a definition yourself\n\nA minimal optuna search over one definition's space "
            "(set `TUNE_DEFINITION` to a name from `DEFINITIONS`)."
        ),
        new_code_cell(
            "TUNE_DEFINITION = None  # e.g. " + repr(definitions[0].name) + "\n"
            "TRIALS = 20\n"
            "if TUNE_DEFINITION:\n"
            "    import optuna\n\n"
            "    spec = DEFINITIONS[TUNE_DEFINITION]\n\n"
            "    def objective(trial):\n"
            "        params = dict(spec['fixed'])\n"
            "        for name, p in spec['search_space'].items():\n"
            "            if p['type'] == 'categorical':\n"
            "                params[name] = trial.suggest_categorical(name, p['choices'])\n"
            "            elif p['type'] == 'int':\n"
            "                params[name] = trial.suggest_int(name, int(p['low']), int(p['high']), log=p['log'])\n"
            "            else:\n"
            "                params[name] = trial.suggest_float(name, p['low'], p['high'], log=p['log'])\n"
            "        if spec['algorithm'] in ('lightgbm', 'xgboost', 'catboost'):\n"
            "            params['n_estimators'] = 300\n"
            "        return run_candidate(spec['preprocessing'], spec['algorithm'], params, tune=True)[0]\n\n"
            "    direction = 'minimize' if METRIC in MINIMIZED else 'maximize'\n"
            "    study = optuna.create_study(direction=direction, sampler=optuna.samplers.TPESampler(seed=SEED))\n"
            "    study.optimize(objective, n_trials=TRIALS)\n"
            "    print(study.best_value, study.best_params)"
        ),
    ]
    return write_notebook(new_notebook(cells), path)
