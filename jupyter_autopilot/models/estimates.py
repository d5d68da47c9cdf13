"""The bill before the run: what a SageMaker experiment or endpoint would cost, roughly."""

from __future__ import annotations

from pydantic import Field

from .common import ApiModel


class CostLine(ApiModel):
    """One billed resource of an estimate: instances of a type for some hours."""

    what: str
    instance_type: str | None = None
    instance_count: int = 1
    hours: float
    hourly_usd: float | None = Field(default=None, description="Per instance, from the table.")
    cost_usd: float | None = None


class CostEstimate(ApiModel):
    """Time and cost of a run, with the assumptions behind them (no network: a shipped
    price table, dated)."""

    typical_hours: float = Field(description="What a run with this budget usually takes.")
    max_hours: float = Field(description="The longest the budget allows.")
    typical_cost_usd: float | None = None
    max_cost_usd: float | None = Field(
        default=None, description="If every limit of the budget is reached."
    )
    lines: list[CostLine] = Field(default_factory=list)
    region: str | None = None
    price_table: str = Field(description="Source and date of the prices used.")
    assumptions: list[str] = Field(default_factory=list)
    tutorial_note: str = Field(
        default="The SageMaker Autopilot tutorial's own warning: about two hours, up to USD 10.",
    )


class EndpointEstimateRequest(ApiModel):
    """An endpoint's shape, as the deploy dialog has it."""

    instance_type: str | None = Field(default=None, examples=["ml.m5.large"])
    instance_count: int = Field(default=1, ge=1, le=10)
    serverless: bool = False
    hours: float = Field(
        default=24.0, gt=0, le=24 * 366, description="How long it would be kept running."
    )
