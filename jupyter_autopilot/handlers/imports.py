"""Imports: a SageMaker Autopilot candidate-definition notebook, to re-run locally."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .. import models as m
from .base import AutopilotHandler, operation


class SageMakerNotebookImportHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized(action="read")
    @operation(
        summary="Parse a SageMaker Autopilot candidate-definition notebook",
        description="Reads the notebook's `select_candidate` cells, objective and "
        "hyperparameter ranges (and the generated dppN.py modules when they were synced "
        "next to it) and returns the candidates with a `plan` that an experiment's "
        "`candidate_plan` runs on the local backend. Nothing is created.",
        body=m.SageMakerNotebookImportRequest,
        response=m.SageMakerNotebookImport,
        errors=(400, 404),
        tags=("imports",),
    )
    async def post(self) -> None:
        request = self.parse_body(m.SageMakerNotebookImportRequest)
        await self.respond(self.backend.import_sagemaker_notebook(request))
