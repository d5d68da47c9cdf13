"""Every trial of every experiment, for the experiments-and-trials view."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .. import models as m
from .base import AutopilotHandler, operation


class TrialsHandler(AutopilotHandler):
    @tornado.web.authenticated
    @authorized
    @operation(
        summary="Every trial of every experiment, with hyperparameters and metrics",
        description="Filter by experiments, status, algorithm or a search string; sort by "
        "a field or any metric. `hyperparameter_names` and `metric_names` list the columns "
        "a table of the matching trials needs.",
        query=m.ListTrialsQuery,
        response=m.TrialList,
        errors=(400, 404),
        tags=("trials",),
    )
    async def get(self) -> None:
        await self.respond(self.backend.list_trials(self.parse_query(m.ListTrialsQuery)))
