"""Experiments, their candidates, artifacts, deployment and clean-up."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .. import models as m
from .base import AutopilotHandler, operation

_TAGS = ("experiments",)


class ExperimentsHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="List experiments",
        query=m.ListExperimentsQuery,
        response=m.ExperimentList,
        errors=(400,),
        tags=_TAGS,
    )
    async def get(self) -> None:
        await self.respond(self.backend.list_experiments(self.parse_query(m.ListExperimentsQuery)))

    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Create and start an experiment",
        body=m.ExperimentSpec,
        response=m.Experiment,
        status=201,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def post(self) -> None:
        spec = self.parse_body(m.ExperimentSpec)
        await self.respond(self.backend.create_experiment(spec), status=201)


class ExperimentValidateHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="read")
    @operation(
        summary="Check a spec and its data as create would, without starting anything",
        description="Bad input answers exactly as `POST experiments` would; a good spec "
        "returns the data warnings (leakage, imbalance...) and the resolved budget.",
        body=m.ExperimentSpec,
        response=m.ExperimentValidation,
        errors=(400, 404),
        tags=_TAGS,
    )
    async def post(self) -> None:
        spec = self.parse_body(m.ExperimentSpec)
        await self.respond(self.backend.validate_experiment(spec))


class ExperimentHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(summary="Describe an experiment", response=m.Experiment, tags=_TAGS)
    async def get(self, name: str) -> None:
        await self.respond(self.backend.describe_experiment(name))

    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Forget an experiment that is not running",
        description="Use clean-up first to delete the resources it created.",
        response=m.Deleted,
        errors=(404, 409),
        tags=_TAGS,
    )
    async def delete(self, name: str) -> None:
        await self.backend.delete_experiment(name)
        self.write_model(m.Deleted(name=name))


class ExperimentStopHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Stop a running experiment, keeping finished candidates",
        response=m.Experiment,
        errors=(404, 409),
        tags=_TAGS,
    )
    async def post(self, name: str) -> None:
        await self.respond(self.backend.stop_experiment(name))


class ExperimentRerunHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Run an ended experiment again with the same spec",
        response=m.Experiment,
        errors=(404, 409),
        tags=_TAGS,
    )
    async def post(self, name: str) -> None:
        await self.respond(self.backend.rerun_experiment(name))


class ExperimentExtendHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Continue an ended experiment's search with more time and/or candidates",
        description="Keeps every finished trial; the search continues where it stopped "
        "(trial numbering too), then the ensemble, best model, notebooks and reports are "
        "redone over all trials. Ended (Completed, Stopped, Interrupted or Failed) local "
        "experiments with at least one finished candidate only; the budget grows by what is "
        "added.",
        body=m.ExperimentExtendRequest,
        response=m.Experiment,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def post(self, name: str) -> None:
        request = self.parse_body(m.ExperimentExtendRequest)
        await self.respond(self.backend.extend_experiment(name, request))


class CandidatesHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="The trials leaderboard (best objective first by default)",
        query=m.ListCandidatesQuery,
        response=m.CandidateList,
        tags=_TAGS,
    )
    async def get(self, name: str) -> None:
        query = self.parse_query(m.ListCandidatesQuery)
        await self.respond(self.backend.list_candidates(name, query))


class CandidateHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="One candidate: hyperparameters, metrics, feature importance, insights",
        response=m.CandidateDetail,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def get(self, name: str, candidate: str) -> None:
        await self.respond(self.backend.describe_candidate(name, candidate))


class ArtifactsHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Notebooks and reports, as paths JupyterLab can open",
        response=m.ArtifactList,
        tags=_TAGS,
    )
    async def get(self, name: str) -> None:
        await self.respond(self.backend.list_artifacts(name))


class DeployHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Deploy a candidate (the best unless one is named) to an endpoint",
        body=m.DeployRequest,
        response=m.Endpoint,
        status=202,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def post(self, name: str) -> None:
        request = self.parse_body(m.DeployRequest)
        await self.respond(self.backend.deploy(name, request), status=202)


class CleanupHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(summary="What clean-up would delete", response=m.CleanupPlan, tags=("cleanup",))
    async def get(self, name: str) -> None:
        await self.respond(self.backend.cleanup_plan(name))

    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Delete everything the experiment created",
        body=m.CleanupRequest,
        response=m.CleanupResult,
        errors=(400, 404, 409),
        tags=("cleanup",),
    )
    async def post(self, name: str) -> None:
        request = self.parse_body(m.CleanupRequest)
        await self.respond(self.backend.cleanup(name, request))


class CandidateExportHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Export a candidate as a model.tar.gz for SageMaker's scikit-learn image",
        description="The archive holds the model, its checksum, `code/inference.py`, pinned "
        "`code/requirements.txt` and the package code; deploy it with `POST endpoints` on "
        "a server running the sagemaker backend.",
        body=m.ModelExportRequest,
        response=m.ModelExport,
        status=201,
        errors=(400, 404, 409),
        tags=_TAGS,
    )
    async def post(self, name: str, candidate: str) -> None:
        request = self.parse_body(m.ModelExportRequest)
        await self.respond(self.backend.export_candidate(name, candidate, request), status=201)
