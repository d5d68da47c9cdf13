"""REST handlers under /autopilot/api/ (thin: parse, call the backend, write the model)."""

from .base import AUTH_RESOURCE, AutopilotHandler, Operation
from .datasets import (
    DatasetPreviewHandler,
    DatasetUploadHandler,
    SampleCopyHandler,
    SamplesHandler,
)
from .endpoints import (
    BatchPredictionHandler,
    BatchPredictionsHandler,
    BatchPredictionStopHandler,
    CapturesHandler,
    EndpointEstimateHandler,
    EndpointHandler,
    EndpointsHandler,
    ForecastFutureHandler,
    InvocationsHandler,
    MonitoringHandler,
    MonitoringReportHandler,
    MonitoringReportsHandler,
    TrafficHandler,
)
from .experiments import (
    ArtifactsHandler,
    CandidateExportHandler,
    CandidateHandler,
    CandidatesHandler,
    CleanupHandler,
    DeployHandler,
    ExperimentExtendHandler,
    ExperimentHandler,
    ExperimentRerunHandler,
    ExperimentsHandler,
    ExperimentStopHandler,
    ExperimentValidateHandler,
)
from .imports import SageMakerNotebookImportHandler
from .meta import HealthHandler, OpenAPIHandler
from .routes import API_PREFIX, Route
from .trials import TrialsHandler

ROUTES: list[Route] = [
    Route("/health", HealthHandler),
    Route("/openapi.json", OpenAPIHandler),
    Route("/datasets/preview", DatasetPreviewHandler),
    Route("/datasets/upload", DatasetUploadHandler),
    Route("/samples", SamplesHandler),
    Route("/samples/{name}", SampleCopyHandler),
    Route("/experiments", ExperimentsHandler),
    Route("/experiments/{name}", ExperimentHandler),
    Route("/experiments/{name}/stop", ExperimentStopHandler),
    Route("/experiments/{name}/rerun", ExperimentRerunHandler),
    Route("/experiments/{name}/extend", ExperimentExtendHandler),
    Route("/experiments/{name}/candidates", CandidatesHandler),
    Route("/experiments/{name}/candidates/{candidate}", CandidateHandler),
    Route("/experiments/{name}/candidates/{candidate}/export", CandidateExportHandler),
    Route("/experiments/{name}/artifacts", ArtifactsHandler),
    Route("/experiments/{name}/deploy", DeployHandler),
    Route("/experiments/{name}/cleanup", CleanupHandler),
    Route("/validation/experiment", ExperimentValidateHandler),
    Route("/trials", TrialsHandler),
    Route("/imports/sagemaker-notebook", SageMakerNotebookImportHandler),
    Route("/endpoints", EndpointsHandler),
    Route("/endpoints/{name}", EndpointHandler),
    Route("/endpoints/{name}/invocations", InvocationsHandler),
    Route("/endpoints/{name}/future", ForecastFutureHandler),
    Route("/endpoints/{name}/batch-predictions", BatchPredictionsHandler),
    Route("/endpoints/{name}/traffic", TrafficHandler),
    Route("/endpoints/{name}/monitoring", MonitoringHandler),
    Route("/endpoints/{name}/monitoring/reports", MonitoringReportsHandler),
    Route("/endpoints/{name}/monitoring/reports/{report_id}", MonitoringReportHandler),
    Route("/endpoints/{name}/monitoring/captures", CapturesHandler),
    Route("/batch-predictions/{batch_id}", BatchPredictionHandler),
    Route("/batch-predictions/{batch_id}/stop", BatchPredictionStopHandler),
    Route("/estimates/endpoint", EndpointEstimateHandler),
]

__all__ = ["API_PREFIX", "AUTH_RESOURCE", "ROUTES", "AutopilotHandler", "Operation", "Route"]
