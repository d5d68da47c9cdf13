"""What the parts of the sagemaker backend share: AWS, this server's records, the cache.

`SageMakerBackend` (backend.py) makes one `Shared` and hands it to each part
(experiments, candidates, endpoints, deployments, monitoring, clean-up); a part is a
`Part`, so its code reads `self.aws`, `self.store`, `self.cache` as the backend's did.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any, Protocol

import boto3

from ... import models as m
from ..base import BackendContext
from . import cache, tags
from .cache import TTLCache
from .session import AwsSession
from .store import Store

#: Describe* operation -> (cache key kind, what it describes, its name parameter).
DESCRIBED: dict[str, tuple[str, str, str]] = {
    "DescribeAutoMLJobV2": ("job", "experiment", "AutoMLJobName"),
    "DescribeEndpoint": ("endpoint", "endpoint", "EndpointName"),
    "DescribeEndpointConfig": ("endpoint-config", "endpoint config", "EndpointConfigName"),
    "DescribeTrainingJob": ("training-job", "training job", "TrainingJobName"),
}


class Settings(Protocol):
    """The backend's settings (its traits) and how it makes boto3 sessions."""

    aws_region: str | None
    role_arn: str | None
    default_bucket: str | None
    s3_prefix: str
    dry_run: bool

    def _make_session(self) -> boto3.Session: ...


class Shared:
    """The AWS session (made on first use, from the settings as they are then), the
    records this server keeps, the polling cache, the clock and per-key locks."""

    def __init__(self, context: BackendContext, settings: Settings, log: logging.Logger):
        self.context = context
        self.settings = settings
        self.log = log
        self.store = Store(context.work_dir)
        self.cache = TTLCache()
        self._aws: AwsSession | None = None
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def aws(self) -> AwsSession:
        if self._aws is None:
            self._aws = AwsSession(
                self.settings._make_session,
                region=self.settings.aws_region,
                role_arn=self.settings.role_arn,
                default_bucket=self.settings.default_bucket,
                dry_run=self.settings.dry_run,
                log=self.log,
                user_agent=f"jupyter-autopilot/{self.context.version}",
            )
        return self._aws

    @property
    def has_aws(self) -> bool:
        """Whether the AWS session was made (its thread pool is then shut down at exit)."""
        return self._aws is not None

    def now(self) -> datetime:
        return m.utcnow()

    def lock(self, key: str) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    async def resource_tags(self, arn: str) -> dict[str, str]:
        """The tags of a SageMaker resource (cached: they rarely change)."""
        if not arn:
            return {}
        result = await self.cache.get(
            ("tags", arn),
            cache.TAGS_TTL,
            lambda: self.aws.run(
                self.aws.paginate_sync,
                "sagemaker",
                "ListTags",
                f"list the tags of {arn}",
                "Tags",
                ResourceArn=arn,
            ),
        )
        return tags.as_dict(result)


class Part:
    """One part of the backend: the shared state under the names the code uses."""

    def __init__(self, shared: Shared):
        self.shared = shared

    @property
    def aws(self) -> AwsSession:
        return self.shared.aws

    @property
    def store(self) -> Store:
        return self.shared.store

    @property
    def cache(self) -> TTLCache:
        return self.shared.cache

    @property
    def log(self) -> logging.Logger:
        return self.shared.log

    def _now(self) -> datetime:
        return self.shared.now()

    async def described(self, operation: str, name: str, seconds: float) -> dict[str, Any]:
        """A SageMaker Describe* answer through the polling cache (reused for `seconds`),
        cached under `(kind, name)` (`DESCRIBED` names the kinds, for invalidation)."""
        kind, what, parameter = DESCRIBED[operation]
        return await self.cache.get(
            (kind, name),
            seconds,
            lambda: self.aws.call(
                "sagemaker", operation, f"describe the {what} {name}", **{parameter: name}
            ),
        )
