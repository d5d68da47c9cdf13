"""Approximate on-demand prices of SageMaker real-time inference instances.

APPROXIMATE, for cost awareness only: USD per instance-hour for real-time inference in
us-east-1 (N. Virginia), from the public SageMaker pricing page as last checked for
this table (2025). Other regions usually cost 0-30 % more; prices change; taxes,
storage, data transfer and Savings Plans are not included. Serverless endpoints are
billed per request and per GB-second, so they have no hourly price here. The real price
is on https://aws.amazon.com/sagemaker/pricing/ - the UI links to it next to the figure.
"""

from __future__ import annotations

PRICE_NOTE = (
    "Approximate on-demand price per hour in us-east-1 (USD, real-time inference); "
    "check the SageMaker pricing page for your region."
)

#: instance type -> approximate USD per hour (us-east-1, real-time inference).
HOURLY_USD: dict[str, float] = {
    "ml.t2.medium": 0.056,
    "ml.t2.large": 0.111,
    "ml.t2.xlarge": 0.222,
    "ml.m5.large": 0.115,
    "ml.m5.xlarge": 0.23,
    "ml.m5.2xlarge": 0.461,
    "ml.m5.4xlarge": 0.922,
    "ml.m5.12xlarge": 2.765,
    "ml.m6i.large": 0.121,
    "ml.m6i.xlarge": 0.242,
    "ml.m6i.2xlarge": 0.484,
    "ml.c5.large": 0.102,
    "ml.c5.xlarge": 0.204,
    "ml.c5.2xlarge": 0.408,
    "ml.c5.4xlarge": 0.816,
    "ml.c6i.large": 0.107,
    "ml.c6i.xlarge": 0.214,
    "ml.r5.large": 0.151,
    "ml.r5.xlarge": 0.302,
    "ml.r5.2xlarge": 0.605,
    "ml.g4dn.xlarge": 0.736,
    "ml.g4dn.2xlarge": 1.052,
    "ml.g5.xlarge": 1.408,
    "ml.inf1.xlarge": 0.297,
}

#: What the deploy dialog offers (cheap CPU types that serve Autopilot models well).
DEPLOY_INSTANCE_TYPES = [
    "ml.m5.large",
    "ml.m5.xlarge",
    "ml.m5.2xlarge",
    "ml.c5.large",
    "ml.c5.xlarge",
    "ml.c5.2xlarge",
    "ml.r5.large",
    "ml.t2.medium",
]

DEFAULT_INSTANCE_TYPE = "ml.m5.large"


def hourly_cost(instance_type: str | None, count: int | None = 1) -> float | None:
    """Approximate USD per hour for `count` instances, or None when unknown/serverless."""
    if not instance_type:
        return None
    price = HOURLY_USD.get(instance_type)
    if price is None:
        return None
    return round(price * max(count or 1, 1), 4)
