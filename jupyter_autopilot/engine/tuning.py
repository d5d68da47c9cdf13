"""Stage 4, model tuning: search candidates and hyperparameters within the budgets.

How the time is spent:
- every definition first runs its proven start configurations, cheapest families first,
  so a good model exists within seconds;
- then each trial goes to the definition with the least time spent relative to its
  promise (its best score's distance from the leader), so strong families get most of
  the budget while others keep a little; hopeless families stop being tuned;
- within a definition, optuna's TPE proposes hyperparameters (one study per definition);
- boosting trains up to thousands of rounds with early stopping on the validation split,
  and a trial whose learning curve cannot plausibly catch its family's best is pruned;
- every trial honours the per-trial cap, the job deadline and the Stop button (checked
  every boosting round and between chunks of forest trees);
- boosting trials record their learning curve (the early-stopping metric on training and
  validation data after every round) for training insight: the `training_rules` run on it
  and the trial keeps a downsampled copy (see `training_insight`).
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import optuna

from ..models import (
    Candidate,
    CandidateStatus,
    ObjectiveMetric,
    TrainingCurve,
    TrainingFinding,
    utcnow,
)
from .candidates import CandidateDefinition, json_safe
from .features import FeatureSet
from .fitting import fit_trial
from .memory import PeakMemory
from .metrics import MINIMIZED, is_better, predicted_classes, score_all, tune_threshold
from .training_insight import CurveRecorder, downsample
from .training_rules import check_class_imbalance, curve_findings, warning_flags

optuna.logging.set_verbosity(optuna.logging.WARNING)

#: A definition whose best score is this much (relative) behind the leader gets no more trials.
HOPELESS_GAP = 0.10
#: Scale of "promise": a definition 1% behind the leader gets e^-1 of the leader's share.
PROMISE_SCALE = 0.02
#: Bookkeeping cost charged per trial, so near-instant families do not get endless trials.
TRIAL_OVERHEAD = 0.3
#: A family that has not improved in this many trials is tuned much less.
PATIENCE = 12
#: Trials whose fitted models stay in memory: the best few plus the best of each family.
KEEP_TOP = 4
#: Boosting rounds before a trial may be pruned, and the window its pace is measured over.
PRUNE_AFTER = 100
PRUNE_WINDOW = 50
#: Pruning only pays for trials that are already this slow (seconds); cheap trials finish,
#: and what they teach the sampler is worth more than the time saved.
PRUNE_MIN_SECONDS = 1.0
#: Rows used to compute training-split metrics (enough for a stable estimate, cheap).
TRAIN_METRIC_ROWS = 10_000
#: A family's first trial's scoring time, as a share of its fit, until one has been timed
#: (`_Monitor`): a 10-class LightGBM model that trained 12 s to the deadline on digits then
#: took 5.8 s to score (the validation split and the training sample), past the job's end.
FIRST_EVAL_SHARE = 0.25
#: Training rows boosting learning curves are measured on (every round): the whole training
#: split up to this size, else a fixed sample. Evaluating them is the recording's only cost:
#: about 2 % of LightGBM's and 5-10 % of XGBoost's fitting time on the bank data (33k rows).
CURVE_TRAIN_ROWS = 2_000
#: Finishing (ensemble predictions, saving and probing the model, permutation importance,
#: insights) costs about this many times what predicting with its likely members costs,
#: beyond its fixed reserve: permutation importance and TreeSHAP are sized to the time left,
#: so what grows with predicting is the probe, the insights and the training metrics. It
#: was 6 when TreeSHAP was not sized: leaf_id_flavia (32 classes, a LightGBM trial that
#: predicts its 1,525 rows in 5.3 s) then kept 25 s for a finishing that took 6 s, and its
#: 60 s job ended at 34 s after 5 trials (now 56 s, 8 trials; digits at 30 s still 28.5 s).
FINISH_PREDICT_FACTOR = 2.0
#: ...but finishing predicts a bounded number of rows (permutation importance on 1,000,
#: SHAP on 500, a probe of 200, the ensemble's training metrics on `TRAIN_METRIC_ROWS`),
#: while a trial's `predict_seconds` covers the whole validation split: above this many
#: rows scored per trial, the estimate scales down with them (unchanged below the
#: sampling threshold: up to 40k validation rows + 10k training rows). At 1M rows (200k
#: validation rows) the unscaled estimate kept 72 s for a finishing that took 18 s, which
#: cut the refit short and ended a 180 s job at 114 s; scaled to 100k rows, still 40 s for
#: a finishing of 3 s.
FINISH_PREDICT_ROWS = 50_000
#: The search has converged (and ends before its trial cap and deadline) when the best
#: validation score has not improved by more than CONVERGED_TOLERANCE (relative) for as
#: many trials as it took to reach it, and for at least CONVERGED_TRIALS: the search has
#: then spent as long failing to improve as it spent improving. Smaller gains are within
#: the noise of a validation split and only fit the split.
CONVERGED_TRIALS = 40
CONVERGED_TOLERANCE = 1e-4


#: The note of a trial whose fit the deadline or the per-trial limit ended (its model kept).
TIME_LIMIT_NOTE = "trained until the time limit"


class TrialInterrupted(Exception):
    """Raised inside a fit to end a trial early (stop, deadline or pruning)."""


@dataclass
class TrialResult:
    """One training job: its candidate, hyperparameters, scores, timing and status."""

    name: str
    number: int
    definition: CandidateDefinition
    params: dict[str, Any]
    status: CandidateStatus = CandidateStatus.InProgress
    objective: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    train_metrics: dict[str, float] = field(default_factory=dict)
    threshold: float | None = None
    valid_pred: np.ndarray | None = None
    model: Any | None = None
    started_at: datetime = field(default_factory=utcnow)
    ended_at: datetime | None = None
    seconds: float = 0.0
    predict_seconds: float = 0.0  # scoring the validation split and the training sample
    failure_reason: str | None = None
    note: str | None = None
    #: Downsampled learning curves (boosting only) and the training-insight rules that fired.
    training_curves: list[TrainingCurve] = field(default_factory=list)
    training_findings: list[TrainingFinding] = field(default_factory=list)
    #: What the sampler proposed (before early stopping changed any of it), for `resume`.
    sampled: dict[str, Any] = field(default_factory=dict)
    #: A trial of an earlier run of the same experiment (`resume`): reported as recorded.
    prior: Candidate | None = None
    #: On large data (`sampling`): the training split's rows the model was fitted on (None:
    #: all of them), the size of the training split it was searched on or refit on, and for
    #: a refit on all rows, the sampled trial it refits.
    fit_rows: np.ndarray | None = None
    training_rows: int | None = None
    refit_of: str | None = None
    #: Resident memory the fit took above what the process held before it (bytes,
    #: `memory.PeakMemory`): on large data, a refit's need is estimated from it.
    memory_bytes: int | None = None

    def hyperparameters(self) -> dict[str, Any]:
        params = dict(json_safe(self.params))
        if self.threshold is not None:
            params["decision_threshold"] = round(float(self.threshold), 6)
        # Metadata, not estimator settings (`resume` drops them): on large data, the rows the
        # model was fitted on and which sampled trial a refit on all rows rebuilds.
        if self.training_rows is not None:
            params["training_rows"] = self.training_rows
            params["searched_on_sample"] = self.fit_rows is not None
        if self.refit_of is not None:
            params["refit_of"] = self.refit_of
        return params

    def to_candidate(self, metric: ObjectiveMetric) -> Candidate:
        if self.prior is not None:  # as recorded; the leaderboard ranks it again
            return self.prior.model_copy(update={"rank": None, "is_best": False})
        return Candidate(
            name=self.name,
            status=self.status,
            algorithm=self.definition.algorithm,
            preprocessing=self.definition.recipe_name,
            definition=self.definition.name,
            hyperparameters=self.hyperparameters(),
            objective_metric=metric,
            objective_value=self.objective,
            metrics=self.metrics,
            train_metrics=self.train_metrics,
            started_at=self.started_at,
            ended_at=self.ended_at,
            duration_seconds=round(self.seconds, 3),
            failure_reason=self.failure_reason,
            training_job_name=self.name,
            training_flags=warning_flags(self.training_findings),
        )


@dataclass
class _Family:
    """Search state of one candidate definition."""

    definition: CandidateDefinition
    study: optuna.Study
    trials: int = 0
    failures: int = 0
    seconds: float = 0.0
    best: float | None = None
    best_trial: int = 0  # the family's trial count when its best was found
    best_eval: float = -math.inf  # best early-stopping score (oriented) of any finished trial
    hopeless: bool = False
    starts_left: list[dict[str, Any]] = field(default_factory=list)
    #: The most a completed trial's scoring took, as a share of its fit (`_Monitor`).
    eval_share: float = 0.0

    @property
    def mean_seconds(self) -> float:
        return self.seconds / self.trials if self.trials else 0.0


def _distributions(
    definition: CandidateDefinition,
) -> dict[str, optuna.distributions.BaseDistribution]:
    out: dict[str, optuna.distributions.BaseDistribution] = {}
    for name, p in definition.space.items():
        if p.kind == "categorical":
            out[name] = optuna.distributions.CategoricalDistribution(p.choices or [])
        elif p.kind == "int":
            out[name] = optuna.distributions.IntDistribution(
                int(p.low or 0), int(p.high or 0), log=p.log
            )
        else:
            out[name] = optuna.distributions.FloatDistribution(
                float(p.low or 0), float(p.high or 0), log=p.log
            )
    return out


class Tuner:
    """Runs trials until the trial budget, the deadline or a stop request."""

    def __init__(
        self,
        definitions: list[CandidateDefinition],
        feature_sets: dict[str, FeatureSet],
        y_train: np.ndarray,
        y_valid: np.ndarray,
        task: str,
        metric: ObjectiveMetric,
        *,
        seed: int,
        n_jobs: int,
        max_trials: int,
        trial_seconds: float,
        deadline: float,
        finish_reserve: float = 0.0,
        stop_requested: Callable[[], bool],
        on_trial: Callable[[TrialResult], None],
        on_message: Callable[[str], None] | None = None,
        labels: list[str] | None = None,
        w_train: np.ndarray | None = None,
        w_valid: np.ndarray | None = None,
        reproducible: bool = False,
    ) -> None:
        self.feature_sets = feature_sets
        self.y_train, self.y_valid = y_train, y_valid
        # Sample weights of the two splits (None: every row counts once): every fit and
        # every score uses them.
        self.w_train, self.w_valid = w_train, w_valid
        self.task, self.metric = task, metric
        self.seed, self.n_jobs = seed, n_jobs
        self.max_trials, self.trial_seconds, self.deadline = max_trials, trial_seconds, deadline
        # Seconds already kept back (before `deadline`) for finishing the job.
        self.finish_reserve = finish_reserve
        self.stop_requested = stop_requested
        # No decision may depend on the clock: no pruning (it waits PRUNE_MIN_SECONDS),
        # trials scheduled by count rather than seconds spent.
        self.reproducible = reproducible
        self.on_trial = on_trial
        self.on_message = on_message or (lambda text: None)
        #: Seconds kept back (before `deadline`) for work after the search, re-estimated from
        #: the trials so far: refitting the best sampled trials on all rows (`sampling`).
        self.after_search: Callable[[list[TrialResult]], float] = lambda results: 0.0
        #: The training split's rows this tuner's feature sets hold, when a sample of them
        #: (`sampling`): recorded on every trial so it can be rebuilt.
        self.fit_rows: np.ndarray | None = None
        #: The validation split's rows boosting's early stopping (and pruning) follow, when
        #: a sample of them (`sampling.stopping_rows`, the search on large data): scoring
        #: every round costs in proportion to them. Every trial is still scored on the
        #: whole validation split once it is fitted (`_evaluate`), so the leaderboard and
        #: the notebook's figures are on the same rows as without it.
        self.stop_rows: np.ndarray | None = None
        self._stop_sets: dict[str, tuple[Any, np.ndarray, np.ndarray | None]] = {}
        self.results: list[TrialResult] = []
        self.stopped = False
        #: Trials of earlier runs this search continues after (`resume`).
        self.resumed_after = 0
        rng = np.random.default_rng(seed)
        n_train = len(y_train)
        self.train_rows = (
            np.sort(rng.choice(n_train, TRAIN_METRIC_ROWS, replace=False))
            if n_train > TRAIN_METRIC_ROWS
            else np.arange(n_train)
        )
        self.curve_rows = (
            np.sort(rng.choice(n_train, CURVE_TRAIN_ROWS, replace=False))
            if n_train > CURVE_TRAIN_ROWS
            else None
        )
        self._curve_sets: dict[str, tuple[Any, np.ndarray]] = {}
        self.labels = labels
        # Training rows per class, for the class-imbalance rule.
        self.class_counts = (
            np.bincount(np.asarray(y_train, dtype=int), minlength=len(labels or []))
            if task != "regression"
            else None
        )
        self.families = []
        for i, definition in enumerate(definitions):
            sampler = optuna.samplers.TPESampler(
                seed=seed + i, n_startup_trials=6, multivariate=True
            )
            study = optuna.create_study(direction="maximize", sampler=sampler)
            self.families.append(
                _Family(definition=definition, study=study, starts_left=list(definition.starts))
            )

    # -- scores -----------------------------------------------------------------------
    def _oriented(self, value: float) -> float:
        return -value if self.metric.value in MINIMIZED else value

    def best_result(self) -> TrialResult | None:
        best: TrialResult | None = None
        for result in self.results:
            if result.status is CandidateStatus.Completed and is_better(
                self.metric.value, result.objective, best.objective if best else None
            ):
                best = result
        return best

    def _gap(self, family: _Family, leader: float) -> float:
        """Relative distance of a family's best from the leader (0 = the leader)."""
        if family.best is None:
            return 0.0
        return max(0.0, leader - self._oriented(family.best)) / max(abs(leader), 1e-3)

    # -- scheduling -------------------------------------------------------------------
    def finish_overrun(self) -> float:
        """Extra seconds finishing will need beyond `finish_reserve`, estimated from what
        predicting with the best trials (the likely ensemble members) costs: large for
        slow-to-predict models on small budgets (a 10-class boosted model at 30 s)."""
        completed = [
            r
            for r in self.results
            if r.status is CandidateStatus.Completed and r.objective is not None
        ]
        best = sorted(completed, key=lambda r: -self._oriented(r.objective or 0.0))[:3]
        scored_rows = len(self.y_valid) + len(self.train_rows)
        share = min(1.0, FINISH_PREDICT_ROWS / max(scored_rows, 1))
        needed = FINISH_PREDICT_FACTOR * share * sum(r.predict_seconds for r in best)
        return max(0.0, needed - self.finish_reserve)

    def _end(self) -> float:
        """When the search must end: the deadline less finishing's extra needs and the
        time kept for work after the search."""
        return self.deadline - self.finish_overrun() - self.after_search(self.results)

    def _remaining(self) -> float:
        return self._end() - time.perf_counter()

    def _choose(self) -> _Family | None:
        remaining = self._remaining()
        usable = [
            f
            for f in self.families
            if not f.hopeless
            and f.failures < 2
            and f.mean_seconds * 1.25 < remaining
            and (f.definition.max_trials is None or f.trials < f.definition.max_trials)
        ]
        if not usable:
            return None
        # Start configurations first: the primary families' first ones (boosting and a linear
        # model, cheap and usually strong), then the boosting families' other proven
        # configurations, then the first trial of every other family (forests: slower, and
        # mostly useful as diverse ensemble members).
        for wanted in (
            lambda f: f.trials == 0 and f.definition.primary,
            lambda f: f.definition.boosting and bool(f.starts_left),
            lambda f: f.trials == 0,
        ):
            for family in usable:
                if wanted(family):
                    return family
        scored = [f for f in usable if f.best is not None]
        if not scored:
            return usable[0]
        leader = max(self._oriented(f.best) for f in scored if f.best is not None)
        for family in scored:
            if family.trials >= 2 and self._gap(family, leader) > HOPELESS_GAP:
                family.hopeless = True
                self.on_message(
                    f"{family.definition.name}: {self._gap(family, leader):.1%} behind the best; "
                    "not tuned further"
                )
        scored = [f for f in scored if not f.hopeless]
        if not scored:
            return None

        def spend(f: _Family) -> float:
            weight = math.exp(-self._gap(f, leader) / PROMISE_SCALE)
            if f.trials - f.best_trial >= PATIENCE:
                weight *= 0.1  # converged: small search spaces saturate quickly
            spent = float(f.trials) if self.reproducible else f.seconds
            return (spent + TRIAL_OVERHEAD * f.trials + 0.5) / max(weight, 1e-6)

        return min(scored, key=spend)

    def converged(self) -> bool:
        """Whether more trials are unlikely to help (see `CONVERGED_TRIALS`)."""
        best: float | None = None
        best_at = 0
        for number, result in enumerate(self.results, start=1):
            if result.status is not CandidateStatus.Completed or result.objective is None:
                continue
            value = self._oriented(result.objective)
            if best is None or value - best > CONVERGED_TOLERANCE * max(abs(best), 1e-3):
                best, best_at = value, number
        stalled = len(self.results) - best_at
        if len(self.results) - self.resumed_after < CONVERGED_TRIALS:
            return False  # a continued search was asked for more: give it a real chance
        return best is not None and stalled >= max(CONVERGED_TRIALS, best_at)

    # -- running ----------------------------------------------------------------------
    def run(self) -> list[TrialResult]:
        """Run trials until the trial cap, the deadline, a stop request or convergence;
        returns every trial (completed, failed, pruned, stopped)."""
        while len(self.results) < self.max_trials:
            if self.stop_requested():
                self.stopped = True
                break
            if self._remaining() <= 0.5:
                break
            if self.converged():
                self.on_message(
                    f"Converged after {len(self.results)} trials: no better validation score "
                    "in the last half of the search."
                )
                break
            family = self._choose()
            if family is None:
                break
            self._run_trial(family)
            if self.stopped:
                break
        return self.results

    def _next_params(self, family: _Family) -> tuple[optuna.trial.Trial, dict[str, Any]]:
        if family.starts_left:
            family.study.enqueue_trial(family.starts_left.pop(0))
        trial = family.study.ask(_distributions(family.definition))
        return trial, dict(trial.params)

    def _run_trial(self, family: _Family) -> None:
        definition = family.definition
        trial, sampled = self._next_params(family)
        # Numbering continues after a continued run's prior trials (see `resume`).
        number = max((r.number for r in self.results), default=0) + 1
        result = TrialResult(
            name=f"{definition.name}-t{number:03d}",
            number=number,
            definition=definition,
            params={**definition.fixed, **sampled},
            sampled=sampled,
            fit_rows=self.fit_rows,
            training_rows=None if self.fit_rows is None else len(self.fit_rows),
        )
        self.results.append(result)
        self.on_trial(result)
        trial_deadline = min(self._end(), time.perf_counter() + self.trial_seconds)
        family_best_eval = self._fit(
            result, family.best_eval, trial_deadline, family.eval_share or FIRST_EVAL_SHARE
        )
        if result.status is CandidateStatus.Completed:
            fit_seconds = max(result.seconds - result.predict_seconds, 1e-3)
            family.eval_share = max(family.eval_share, result.predict_seconds / fit_seconds)
        family.best_eval = max(family.best_eval, family_best_eval)
        if result.status is CandidateStatus.Failed:
            family.failures += 1
        family.trials += 1
        family.seconds += result.seconds
        if result.status is CandidateStatus.Completed and result.objective is not None:
            family.study.tell(trial, self._oriented(result.objective))
            if is_better(self.metric.value, result.objective, family.best):
                family.best = result.objective
                family.best_trial = family.trials
        elif result.status is CandidateStatus.Pruned:
            family.study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            family.study.tell(trial, state=optuna.trial.TrialState.FAIL)
        self._retain_models()
        self.on_trial(result)

    def refit(self, sampled: TrialResult, deadline: float) -> TrialResult:
        """A sampled trial's configuration refit on this tuner's (full) training split, with
        early stopping choosing the boosting rounds again; reported like any trial."""
        number = max((r.number for r in self.results), default=0) + 1
        result = TrialResult(
            name=f"{sampled.definition.name}-t{number:03d}",
            number=number,
            definition=sampled.definition,
            # What the sampler proposed: early stopping on all rows picks the rounds again.
            params={**sampled.definition.fixed, **sampled.sampled},
            sampled=dict(sampled.sampled),
            training_rows=len(self.y_train),
            refit_of=sampled.name,
        )
        self.results.append(result)
        self.on_trial(result)
        # Pruning compares with a family's best: a refit has none, so it is never pruned.
        self._fit(result, -math.inf, min(deadline, time.perf_counter() + self.trial_seconds))
        self._retain_models()
        self.on_trial(result)
        return result

    def _fit(
        self,
        result: TrialResult,
        family_best_eval: float,
        trial_deadline: float,
        eval_share: float = 0.0,
    ) -> float:
        """Fit and score `result` (status, scores, model, timing); returns the best
        early-stopping score (oriented) it reached, for its family's pruning. A fit the
        clock ends leaves `eval_share` of its time for scoring before `trial_deadline`."""
        started = time.perf_counter()
        definition = result.definition
        features = self.feature_sets[definition.recipe_name]
        monitor = _Monitor(self, family_best_eval, trial_deadline, eval_share)
        reached = -math.inf
        try:
            with warnings.catch_warnings(), PeakMemory() as peak:
                warnings.simplefilter("ignore")
                model, final_params = fit_trial(definition, result.params, features, self, monitor)
            result.memory_bytes = peak.extra_bytes
            if monitor.reason == "stop":
                raise TrialInterrupted("stop")
            if monitor.reason == "prune":
                raise TrialInterrupted("prune")
            result.params = final_params
            result.model = model
            reached = monitor.best_eval
            self._evaluate(result, features)
            result.status = CandidateStatus.Completed
            if monitor.reason == "deadline":
                result.note = TIME_LIMIT_NOTE
            self._training_insight(result, monitor)
        except TrialInterrupted as exc:
            # Keep the curve of a pruned or stopped trial (it shows why); no rules on it.
            self._training_insight(result, monitor)
            reason = str(exc)
            if reason == "prune":
                result.status = CandidateStatus.Pruned
                result.failure_reason = "Pruned: at its pace it would not reach the best validation score of its family."
            else:
                result.status = CandidateStatus.Stopped
                result.failure_reason = "Stopped on request before the trial finished."
                self.stopped = True
        except Exception as exc:  # a failing trial must not end the job
            result.status = CandidateStatus.Failed
            result.failure_reason = f"{type(exc).__name__}: {exc}"[:500]
        result.seconds = time.perf_counter() - started
        result.ended_at = utcnow()
        return reached

    def predict(self, model: Any, X: Any) -> np.ndarray:
        if self.task == "regression":
            return np.asarray(model.predict(X), dtype=float)
        return np.asarray(model.predict_proba(X), dtype=float)

    def train_weights(self, rows: np.ndarray | None = None) -> np.ndarray | None:
        """The training split's sample weights (of `rows` when given), or None."""
        if self.w_train is None:
            return None
        return self.w_train if rows is None else self.w_train[rows]

    def curve_weights(self) -> np.ndarray | None:
        """Sample weights of the rows `curve_train_set` returns, or None."""
        return self.train_weights(self.curve_rows)

    def curve_train_set(self, features: FeatureSet) -> tuple[Any, np.ndarray]:
        """The training rows a learning curve is measured on: the training split itself when
        it has at most `CURVE_TRAIN_ROWS` rows (the very same objects, which LightGBM and
        XGBoost recognise and evaluate from the scores they keep anyway), else a fixed sample
        of that many rows (cached per recipe)."""
        if self.curve_rows is None:
            return features.X_train, self.y_train
        recipe = str(features.recipe["name"])
        if recipe not in self._curve_sets:
            self._curve_sets[recipe] = (
                features.X_train[self.curve_rows],
                self.y_train[self.curve_rows],
            )
        return self._curve_sets[recipe]

    def stopping_set(self, features: FeatureSet) -> tuple[Any, np.ndarray, np.ndarray | None]:
        """The validation rows early stopping follows, with their targets and weights: the
        whole validation split, or its rows `stop_rows` (cached per recipe)."""
        if self.stop_rows is None:
            return features.X_valid, self.y_valid, self.w_valid
        recipe = str(features.recipe["name"])
        if recipe not in self._stop_sets:
            rows = self.stop_rows
            self._stop_sets[recipe] = (
                features.X_valid[rows],
                self.y_valid[rows],
                None if self.w_valid is None else self.w_valid[rows],
            )
        return self._stop_sets[recipe]

    def _evaluate(self, result: TrialResult, features: FeatureSet) -> None:
        started = time.perf_counter()
        valid = self.predict(result.model, features.X_valid)
        result.threshold = tune_threshold(
            self.task, self.metric.value, self.y_valid, valid, self.w_valid
        )
        result.metrics = score_all(self.task, self.y_valid, valid, result.threshold, self.w_valid)
        result.objective = result.metrics[self.metric.value]
        result.valid_pred = valid
        X_train = features.X_train[self.train_rows]
        train = self.predict(result.model, X_train)
        result.train_metrics = score_all(
            self.task,
            self.y_train[self.train_rows],
            train,
            result.threshold,
            self.train_weights(self.train_rows),
        )
        result.predict_seconds = time.perf_counter() - started

    def prediction_findings(
        self, valid_pred: np.ndarray, threshold: float | None, y_true: np.ndarray | None = None
    ) -> list[TrainingFinding]:
        """Rules on a model's validation predictions (class imbalance; classification only).

        `y_true`: the rows' classes when the predictions are not of the validation split
        (a bagged model's out-of-fold predictions of every row)."""
        if self.class_counts is None:
            return []
        found = check_class_imbalance(
            self.class_counts,
            self.y_valid if y_true is None else y_true,
            predicted_classes(valid_pred, threshold),
            self.labels,
            self.metric.value,
        )
        return [found] if found is not None else []

    def _training_insight(self, result: TrialResult, monitor: _Monitor) -> None:
        """Keep the trial's learning curve and the rules' findings (completed trials only).

        Insight is optional: whatever goes wrong here must not cost the trial.
        """
        try:
            curve = monitor.recorder.curve(monitor.best_round) if monitor.recorder else None
            findings: list[TrainingFinding] = []
            if result.status is CandidateStatus.Completed:
                if curve is not None:
                    findings += curve_findings(curve)  # on every point, before downsampling
                if result.valid_pred is not None:
                    findings += self.prediction_findings(result.valid_pred, result.threshold)
            result.training_curves = [downsample(curve)] if curve is not None else []
            result.training_findings = findings
        except Exception as exc:  # pragma: no cover - defensive
            self.on_message(f"{result.name}: training insight not recorded ({exc})")

    def _retain_models(self) -> None:
        """Free fitted models that can no longer matter (keeps peak memory low)."""
        completed = [r for r in self.results if r.status is CandidateStatus.Completed]
        ranked = sorted(completed, key=lambda r: -self._oriented(r.objective or 0.0))
        keep = {id(r) for r in ranked[:KEEP_TOP]}
        seen: set[str] = set()
        for r in ranked:
            if r.definition.name not in seen:
                keep.add(id(r))
                seen.add(r.definition.name)
        for r in completed:
            if id(r) not in keep:
                r.model = None


class _Monitor:
    """Checks the clock, the Stop button and the learning curve while a model trains."""

    def __init__(
        self, tuner: Tuner, family_best: float, deadline: float, eval_share: float = 0.0
    ) -> None:
        self.tuner, self.family_best, self.deadline = tuner, family_best, deadline
        self.eval_share = eval_share
        self.reason: str | None = None
        self.best_eval = -math.inf
        self.started = time.perf_counter()
        self._curve: dict[int, float] = {}
        self._last_stop_check = 0.0
        #: The learning curve being recorded (boosting) and the round the model keeps (from 1).
        self.recorder: CurveRecorder | None = None
        self.best_round: int | None = None

    def should_end(self) -> bool:
        now = time.perf_counter()
        # Scoring the model comes after its fit, and grows with it (a boosted model's
        # predictions with its rounds): the fit ends in time for both.
        if now + self.eval_share * (now - self.started) >= self.deadline:
            self.reason = "deadline"
        elif now - self._last_stop_check > 0.25:
            # The reporter may query a database: at most four times a second.
            self._last_stop_check = now
            if self.tuner.stop_requested():
                self.reason = "stop"
        return self.reason is not None

    def report(self, step: int, best_so_far: float) -> bool:
        """Follow the validation learning curve (best early-stopping score so far, higher is
        better); True when the trial is hopeless: at its recent pace it would not reach the
        best its family has already reached even with four times the rounds it has used."""
        self.best_eval = best_so_far
        if step % 10 != 0:
            return False
        self._curve[step] = best_so_far
        if (
            step < PRUNE_AFTER
            or self.tuner.reproducible
            or not math.isfinite(self.family_best)
            or time.perf_counter() - self.started < PRUNE_MIN_SECONDS
        ):
            return False
        needed = self.family_best - best_so_far
        gain = best_so_far - self._curve.get(step - PRUNE_WINDOW, -math.inf)
        if needed > 0 and needed > 4 * gain * step / PRUNE_WINDOW:
            self.reason = "prune"
            return True
        return False
