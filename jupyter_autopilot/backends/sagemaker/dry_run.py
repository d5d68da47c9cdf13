"""Dry-run mode: show the exact AWS requests instead of sending the ones that cost money.

With `--SageMakerBackend.dry_run=True`, every *mutating* call (Create*, Delete*,
Stop*, Put*, Update*, Add*...) is validated against botocore's service model
(`validation.request_errors`), logged, recorded and answered with a synthetic response;
read-only calls (Describe*, List*, Get*, Head*) are sent as usual so that previews,
existing experiments and endpoints still show real data.

How the user sees them: each backend operation collects the requests it would have sent
and returns its normal 200 response with `backend_details["dry_run"] = "true"` and
`backend_details["dry_run_requests"]` = a JSON array of
`{"service", "operation", "params"}` (Experiment and Endpoint), or descriptions
prefixed "Dry run:" (clean-up). `Health.dry_run` is true so panels can show a banner.
Every request is also logged at INFO level as `DRY RUN sagemaker.CreateAutoMLJobV2 {...}`.
Members that botocore marks `sensitive` are replaced by `***`.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .validation import operation_model, redact

#: Operation-name prefixes that change something (and may cost money).
MUTATING_PREFIXES = (
    "Create",
    "Delete",
    "Stop",
    "Start",
    "Put",
    "Update",
    "Add",
    "Remove",
    "Copy",
    "Upload",
    "Complete",
    "Abort",
    "Restore",
)


def is_mutating(operation: str) -> bool:
    """Whether an operation changes AWS state (and is therefore held back in dry-run)."""
    return operation.startswith(MUTATING_PREFIXES)


@dataclass
class DryRunRequest:
    """One request that dry-run mode did not send."""

    service: str
    operation: str
    params: dict[str, Any]
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def as_dict(self) -> dict[str, Any]:
        return {"service": self.service, "operation": self.operation, "params": self.params}


_collector: contextvars.ContextVar[list[DryRunRequest] | None] = contextvars.ContextVar(
    "autopilot_dry_run_collector", default=None
)


class DryRunRecorder:
    """Keeps the last requests held back, and the ones of the current operation."""

    def __init__(self, log: logging.Logger, keep: int = 200):
        self.log = log
        self._lock = threading.Lock()
        self.history: deque[DryRunRequest] = deque(maxlen=keep)

    def record(self, service: str, operation: str, params: dict[str, Any]) -> DryRunRequest:
        """Redact, log and remember a request that is not sent."""
        shape = operation_model(service, operation).input_shape
        safe = redact(shape, params)
        request = DryRunRequest(service, operation, safe)
        with self._lock:
            self.history.append(request)
        collected = _collector.get()
        if collected is not None:
            collected.append(request)
        self.log.info(
            "DRY RUN %s.%s %s", service, operation, json.dumps(safe, default=str, sort_keys=True)
        )
        return request

    @staticmethod
    @contextlib.contextmanager
    def collect() -> Iterator[list[DryRunRequest]]:
        """Collect the requests recorded by the enclosed code (threads included).

        The backend runs boto3 in an executor with the caller's context copied, so the
        list set here is the one `record` appends to.
        """
        requests: list[DryRunRequest] = []
        token = _collector.set(requests)
        try:
            yield requests
        finally:
            _collector.reset(token)


def details_for(requests: list[DryRunRequest]) -> dict[str, str]:
    """The `backend_details` entries that carry dry-run requests to the client."""
    return {
        "dry_run": "true",
        "dry_run_requests": json.dumps([r.as_dict() for r in requests], default=str),
    }


def synthetic_response(
    service: str,
    operation: str,
    params: dict[str, Any],
    *,
    region: str,
    account: str,
    partition: str = "aws",
) -> dict[str, Any]:
    """A plausible response for a request that was not sent (ARNs built from the names)."""
    arn = f"arn:{partition}:{service}:{region}:{account}"
    if service == "sagemaker":
        if operation == "CreateAutoMLJobV2":
            return {"AutoMLJobArn": f"{arn}:automl-job/{params['AutoMLJobName'].lower()}"}
        if operation == "CreateModel":
            return {"ModelArn": f"{arn}:model/{params['ModelName'].lower()}"}
        if operation == "CreateEndpointConfig":
            return {
                "EndpointConfigArn": f"{arn}:endpoint-config/{params['EndpointConfigName'].lower()}"
            }
        if operation == "CreateEndpoint":
            return {"EndpointArn": f"{arn}:endpoint/{params['EndpointName'].lower()}"}
    if service == "s3" and operation == "CreateBucket":
        return {"Location": f"/{params['Bucket']}"}
    return {}
