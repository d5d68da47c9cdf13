"""A continued run (`JobConfig.prior_trials`): the search goes on after the prior trials
instead of starting over (capped in trials, not seconds)."""

from __future__ import annotations

from pathlib import Path

from jupyter_autopilot.engine import JobConfig, RecordingReporter, run_job
from jupyter_autopilot.models import CandidateStatus, trial_number


def _trials(candidates):
    return {c.name: c for c in candidates if c.definition not in ("ensemble", "bagged")}


def test_continued_run_learns_the_prior_trials_and_never_repeats_them(mixed_csv: Path, tmp_path):
    config = JobConfig(
        data_path=mixed_csv,
        output_dir=tmp_path / "out",
        target="label",
        max_candidates=5,
        max_job_runtime_seconds=600,
        experiment_name="resume-test",
    )
    first = run_job(config, RecordingReporter())
    before = _trials(first.candidates)
    assert len(before) == 5
    completed = [c for c in before.values() if c.status is CandidateStatus.Completed]

    reporter = RecordingReporter()
    second = run_job(
        config.model_copy(update={"max_candidates": 9, "prior_trials": list(before.values())}),
        reporter,
    )
    after = _trials(second.candidates)
    # Prior trials come back exactly as recorded (rank and best flags aside).
    for name, old in before.items():
        assert after[name].model_dump(exclude={"rank", "is_best"}) == old.model_dump(
            exclude={"rank", "is_best"}
        )
    new = sorted(set(after) - set(before), key=lambda n: trial_number(n) or 0)
    assert [trial_number(n) for n in new] == [6, 7, 8, 9]
    messages = [e[1] for e in reporter.events if e[0] == "message"]
    assert any(
        f"Continuing the search after 5 trials ({len(completed)} taught to the sampler)" in m
        for m in messages
    ), messages
    # The start configurations already tried are not tried again: no new trial repeats a
    # prior trial's hyperparameters (a fresh tuner would rerun exactly the same starts).
    seen = {(c.definition, repr(sorted(c.hyperparameters.items()))) for c in before.values()}
    for name in new:
        c = after[name]
        assert (c.definition, repr(sorted(c.hyperparameters.items()))) not in seen, name
    # The best of the continued run is chosen over every trial (F1: higher is better).
    if second.best_candidate in after:
        top = max(
            (c for c in after.values() if c.status is CandidateStatus.Completed),
            key=lambda c: c.objective_value or 0.0,
        )
        assert second.best_objective_value == top.objective_value


def test_changed_data_keeps_the_prior_trials_but_does_not_reuse_them(tmp_path):
    from engine_testdata import mixed_frame

    path = tmp_path / "data.csv"
    mixed_frame(300).to_csv(path, index=False)
    config = JobConfig(
        data_path=path,
        output_dir=tmp_path / "out",
        target="label",
        max_candidates=3,
        max_job_runtime_seconds=600,
        training_mode="hyperparameter_tuning",
    )
    first = _trials(run_job(config, RecordingReporter()).candidates)
    # Another file under the same name: other rows, so other validation targets.
    mixed_frame(300).sample(frac=1.0, random_state=7).to_csv(path, index=False)
    reporter = RecordingReporter()
    second = run_job(
        config.model_copy(update={"max_candidates": 4, "prior_trials": list(first.values())}),
        reporter,
    )
    messages = [e[1] for e in reporter.events if e[0] == "message"]
    assert any("after 3 trials (0 taught to the sampler)" in m for m in messages), messages
    after = _trials(second.candidates)
    assert set(first) < set(after) and len(after) == 4
    assert second.best_candidate not in first  # only the new trial was scored on these rows
