"""The bill before the run: time and cost of an AutoML job or an endpoint, from the
budget, the instance types and the price table shipped in `pricing.py` (no network).

Autopilot chooses its own instances and how many trials run at once, and AWS does not
publish them per job, so the experiment estimate rests on stated assumptions
(`AUTOML_*` below), calibrated on the tutorial's warning ("about two hours, up to USD
10" for its 250-candidate default run). Every answer lists its assumptions and the date
and source of the prices.
"""

from __future__ import annotations

from ... import models as m
from .pricing import HOURLY_USD, PRICE_TABLE

#: Assumed training instance of Autopilot's trials and processing jobs.
AUTOML_INSTANCE = "ml.m5.4xlarge"
#: Assumed trials running at once.
AUTOML_CONCURRENCY = 5
#: The tutorial's reference: 250 candidates in about two hours.
TUTORIAL_CANDIDATES = 250
TUTORIAL_HOURS = 2.0
#: Data analysis and feature engineering before the trials (assumed, one instance).
PREPARATION_HOURS = 0.25


def _cost(instance_type: str | None, count: int, hours: float) -> float | None:
    price = HOURLY_USD.get(instance_type or "")
    return None if price is None else round(price * count * hours, 2)


def experiment_estimate(
    budget: m.Budget, *, region: str | None, candidates_only: bool = False
) -> m.CostEstimate:
    """Typical and worst-case time and cost of an AutoML job with this budget."""
    cap_hours = budget.max_job_runtime_seconds / 3600
    trial_cap_hours = budget.max_trial_runtime_seconds / 3600
    if candidates_only:
        # Candidate definitions only: the analysis runs, no trial is trained.
        typical = max_hours = min(PREPARATION_HOURS, cap_hours)
        trial_typical = trial_max = 0.0
    else:
        per_candidate = TUTORIAL_HOURS * AUTOML_CONCURRENCY / TUTORIAL_CANDIDATES
        trial_typical = min(budget.max_candidates * per_candidate, cap_hours * AUTOML_CONCURRENCY)
        typical = min(PREPARATION_HOURS + trial_typical / AUTOML_CONCURRENCY, cap_hours)
        trial_max = min(budget.max_candidates * trial_cap_hours, cap_hours * AUTOML_CONCURRENCY)
        max_hours = cap_hours
    preparation = min(PREPARATION_HOURS, cap_hours)
    lines = [
        m.CostLine(
            what="Data analysis and feature engineering (processing job)",
            instance_type=AUTOML_INSTANCE,
            hours=round(preparation, 2),
            hourly_usd=HOURLY_USD.get(AUTOML_INSTANCE),
            cost_usd=_cost(AUTOML_INSTANCE, 1, preparation),
        )
    ]
    if not candidates_only:
        lines.append(
            m.CostLine(
                what=f"Candidate training, typical ({budget.max_candidates} candidates)",
                instance_type=AUTOML_INSTANCE,
                hours=round(trial_typical, 2),
                hourly_usd=HOURLY_USD.get(AUTOML_INSTANCE),
                cost_usd=_cost(AUTOML_INSTANCE, 1, trial_typical),
            )
        )
    typical_cost = _sum([_cost(AUTOML_INSTANCE, 1, preparation + trial_typical)])
    max_cost = _sum([_cost(AUTOML_INSTANCE, 1, preparation + trial_max)])
    assumptions = [
        f"Autopilot picks its instances itself; assumed {AUTOML_INSTANCE} for every trial "
        f"and processing job, {AUTOML_CONCURRENCY} trials at once.",
        f"Typical: {TUTORIAL_HOURS:g} hours for {TUTORIAL_CANDIDATES} candidates (the "
        "tutorial's run), in proportion to max candidates; never more than the job's limit.",
        f"Worst case: every candidate runs its full trial limit "
        f"({budget.max_trial_runtime_seconds / 3600:g} h), within the job's limit of "
        f"{cap_hours:g} h with {AUTOML_CONCURRENCY} at once. Set max job runtime to bound it.",
        "Training is priced as the table's on-demand price for the same instance type.",
        "Not included: S3 storage, data transfer, endpoints you deploy afterwards, taxes.",
        *_region_assumption(region),
    ]
    return m.CostEstimate(
        typical_hours=round(typical, 2),
        max_hours=round(max_hours, 2),
        typical_cost_usd=typical_cost,
        max_cost_usd=max_cost,
        lines=lines,
        region=region,
        price_table=PRICE_TABLE,
        assumptions=assumptions,
    )


def endpoint_estimate(request: m.EndpointEstimateRequest, *, region: str | None) -> m.CostEstimate:
    """What an endpoint costs while it runs (per hour, for `request.hours`)."""
    assumptions = [
        "Billed per instance-hour from creation until deletion, whether or not it is invoked.",
        "Not included: data capture storage, data transfer, taxes.",
        *_region_assumption(region),
    ]
    if request.serverless:
        assumptions[0] = (
            "Serverless endpoints are billed per request and per GB-second of compute: "
            "nothing while idle; the table has no per-hour price for them."
        )
        return m.CostEstimate(
            typical_hours=request.hours,
            max_hours=request.hours,
            region=region,
            price_table=PRICE_TABLE,
            assumptions=assumptions,
        )
    instance = request.instance_type or "ml.m5.large"
    cost = _cost(instance, request.instance_count, request.hours)
    if cost is None:
        assumptions.insert(0, f"{instance} is not in the price table: no figure.")
    line = m.CostLine(
        what="Endpoint instances",
        instance_type=instance,
        instance_count=request.instance_count,
        hours=request.hours,
        hourly_usd=HOURLY_USD.get(instance),
        cost_usd=cost,
    )
    return m.CostEstimate(
        typical_hours=request.hours,
        max_hours=request.hours,
        typical_cost_usd=cost,
        max_cost_usd=cost,
        lines=[line],
        region=region,
        price_table=PRICE_TABLE,
        assumptions=assumptions,
    )


def _sum(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known), 2) if len(known) == len(values) else None


def _region_assumption(region: str | None) -> list[str]:
    if region in (None, "us-east-1"):
        return []
    return [f"Prices are us-east-1's; {region} usually costs 0-30 % more."]
