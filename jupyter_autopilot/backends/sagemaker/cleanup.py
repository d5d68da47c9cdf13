"""Clean-up: everything an experiment made on AWS and here (endpoints with their configs
and models, S3 outputs, downloaded files), listed, then deleted endpoints first."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from ... import models as m
from ...exceptions import AutopilotError, NotFound
from ...paths import to_api_path
from . import s3
from .experiments import Experiments
from .serving import Endpoints
from .shared import Part, Shared
from .store import ExperimentRecord


class Cleanup(Part):
    """What clean-up of an experiment would delete, and deleting it."""

    def __init__(self, shared: Shared, experiments: Experiments, endpoints: Endpoints):
        super().__init__(shared)
        self.experiments = experiments
        self.endpoints = endpoints

    async def cleanup_plan(self, name: str) -> m.CleanupPlan:
        record = self.store.load_experiment(name)
        if record is None:
            await self.experiments.describe_experiment(
                name
            )  # NotFound for unknown names; records external jobs
            record = self.store.load_experiment(name)
        assert record is not None
        items: list[m.CleanupItem] = []
        for endpoint in (await self.endpoints.list_endpoints()).endpoints:
            if endpoint.experiment != name:
                continue
            shape = (
                f"{endpoint.instance_type} x {endpoint.instance_count}"
                if endpoint.instance_type
                else "serverless"
            )
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.endpoint,
                    name=endpoint.name,
                    description=f"Endpoint ({shape}), {endpoint.status.value}",
                    hourly_cost_usd=endpoint.hourly_cost_usd,
                )
            )
            if endpoint.backend_details.get("endpoint_config"):
                items.append(
                    m.CleanupItem(
                        kind=m.ResourceKind.endpoint_config,
                        name=endpoint.backend_details["endpoint_config"],
                        description=f"Endpoint configuration of {endpoint.name}",
                    )
                )
            saved = self.store.endpoints().get(endpoint.name)
            variant_models = [v.model_name for v in saved.variants] if saved else []
            for model_name in variant_models or (
                [endpoint.model_name] if endpoint.model_name else []
            ):
                items.append(
                    m.CleanupItem(
                        kind=m.ResourceKind.model,
                        name=model_name,
                        description=f"Model of {endpoint.name}",
                    )
                )
        outputs = self._output_prefix(record)
        if outputs:
            bucket, prefix = outputs
            objects = await self.aws.run(s3.list_objects, self.aws, bucket, prefix, limit=10000)
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.s3_prefix,
                    name=s3.s3_uri(bucket, prefix),
                    description=f"Autopilot outputs on S3 ({len(objects)} objects: notebooks, models, reports)",
                    size_bytes=sum(o["Size"] for o in objects),
                )
            )
        if record.feature_spec_uri and not (
            outputs and record.feature_spec_uri.startswith(s3.s3_uri(*outputs))
        ):
            items.append(
                m.CleanupItem(
                    kind=m.ResourceKind.s3_object,
                    name=record.feature_spec_uri,
                    description="Feature specification file",
                )
            )
        local = self.store.experiment_dir(name)
        for sub in ("notebooks", "explainability", "model-insights"):
            folder = local / sub
            if folder.is_dir():
                try:
                    shown = to_api_path(self.shared.context.root_dir, folder)
                except ValueError:
                    shown = str(folder)
                items.append(
                    m.CleanupItem(
                        kind=m.ResourceKind.directory,
                        name=shown,
                        description="Downloaded notebooks and reports",
                        size_bytes=sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()),
                    )
                )
        return m.CleanupPlan(experiment=name, items=items)

    def _output_prefix(self, record: ExperimentRecord) -> tuple[str, str] | None:
        """The S3 prefix holding this job's outputs (only ever this job's own folder)."""
        if not record.output_path or record.dry_run:
            return None
        bucket, prefix = s3.parse_s3_uri(record.output_path)
        if not record.spec.output_uri:
            # Our default layout: <s3_prefix>/<name>/output is entirely this experiment's.
            return bucket, s3.join_key(prefix) + "/"
        # A user-chosen location may hold other things: only the job's own sub-folder.
        return bucket, s3.join_key(prefix, record.name) + "/"

    async def cleanup(self, name: str, request: m.CleanupRequest) -> m.CleanupResult:
        plan = await self.cleanup_plan(name)
        record = self.store.load_experiment(name)
        dry = self.aws.dry_run
        deleted: list[m.CleanupItem] = []
        failed: list[m.CleanupFailure] = []

        def mark(item: m.CleanupItem) -> m.CleanupItem:
            return (
                item.model_copy(update={"description": f"Dry run: would delete {item.description}"})
                if dry
                else item
            )

        handled: set[tuple[m.ResourceKind, str]] = set()
        # Endpoints first: they are what costs money by the hour.
        for item in [i for i in plan.items if i.kind is m.ResourceKind.endpoint]:
            try:
                done, errors = await self.endpoints.delete_resources(item.name)
            except AutopilotError as exc:
                failed.append(m.CleanupFailure(item=item, error=exc.message))
                continue
            for part in done:
                handled.add((part.kind, part.name))
                original = next(
                    (i for i in plan.items if (i.kind, i.name) == (part.kind, part.name)), part
                )
                deleted.append(mark(original))
            for part, error in errors:
                handled.add((part.kind, part.name))
                failed.append(m.CleanupFailure(item=part, error=error.message))
        for item in plan.items:
            if (item.kind, item.name) in handled or item.kind is m.ResourceKind.endpoint:
                continue
            try:
                if item.kind in (m.ResourceKind.endpoint_config, m.ResourceKind.model):
                    operation = (
                        "DeleteEndpointConfig"
                        if item.kind is m.ResourceKind.endpoint_config
                        else "DeleteModel"
                    )
                    key = (
                        "EndpointConfigName"
                        if item.kind is m.ResourceKind.endpoint_config
                        else "ModelName"
                    )
                    try:
                        await self.aws.call(
                            "sagemaker", operation, f"delete {item.name}", **{key: item.name}
                        )
                    except NotFound:
                        pass
                elif not request.include_outputs:
                    continue
                elif item.kind is m.ResourceKind.s3_prefix:
                    bucket, prefix = s3.parse_s3_uri(item.name)
                    await self.aws.run(s3.delete_prefix, self.aws, bucket, prefix)
                elif item.kind is m.ResourceKind.s3_object:
                    bucket, key = s3.parse_s3_uri(item.name)
                    await self.aws.call(
                        "s3", "DeleteObject", f"delete {item.name}", Bucket=bucket, Key=key
                    )
                elif item.kind is m.ResourceKind.directory and not dry:
                    folder = self.store.experiment_dir(name) / Path(item.name).name
                    await asyncio.to_thread(shutil.rmtree, folder, True)
                deleted.append(mark(item))
            except AutopilotError as exc:
                failed.append(m.CleanupFailure(item=item, error=exc.message))
        if request.delete_experiment and record is not None and not dry and not failed:
            self.store.forget_experiment(name)
            deleted.append(
                m.CleanupItem(
                    kind=m.ResourceKind.experiment_record,
                    name=name,
                    description="Local record of the experiment",
                )
            )
        self.cache.invalidate(("endpoints",), prefix=("artifacts", name))
        return m.CleanupResult(experiment=name, deleted=deleted, failed=failed)
