/**
 * Friendly names for the API's types. They come from `schema.ts`, which is generated
 * from the server's OpenAPI document (`jlpm build:schema`), so client and server
 * cannot drift: a test regenerates it and fails on any difference.
 */
import type { components } from './schema';

type S = components['schemas'];

export type Health = S['Health'];
export type BackendInfo = S['BackendInfo'];
export type BackendFeatures = S['BackendFeatures'];
export type DatasetPreviewRequest = S['DatasetPreviewRequest'];
export type DatasetPreview = S['DatasetPreview'];
export type ForecastSpec = S['ForecastSpec'];
export type SeriesPreview = S['SeriesPreview'];
export type SeriesPlot = S['SeriesPlot'];
export type ForecastInvocationBody = S['ForecastInvocationBody'];
export type ForecastFuture = S['ForecastFuture'];
export type ColumnSummary = S['ColumnSummary'];
export type DatasetUploadRequest = S['DatasetUploadRequest'];
export type DatasetUploadResponse = S['DatasetUploadResponse'];
export type SampleDataset = S['SampleDataset'];
export type SampleList = S['SampleList'];
/** Where a sample is copied; without `folder`, to the sample's default folder. */
export type SampleCopyRequest = Partial<S['SampleCopyRequest']>;
export type SampleCopy = S['SampleCopy'];
export type ExperimentSpec = S['ExperimentSpec'];
export type ExperimentValidation = S['ExperimentValidation'];
export type Budget = S['Budget'];
export type RunMode = S['RunMode'];
export type AutoMLAlgorithm = S['AutoMLAlgorithm'];
export type Experiment = S['Experiment'];
export type ExperimentExtendRequest = S['ExperimentExtendRequest'];
export type HistoryEntry = S['HistoryEntry'];
export type DataWarning = S['DataWarning'];
export type ExperimentSummary = S['ExperimentSummary'];
export type ExperimentList = S['ExperimentList'];
export type ExperimentStatus = S['ExperimentStatus'];
export type Stage = S['Stage'];
export type StageName = S['StageName'];
export type StageStatus = S['StageStatus'];
export type ProblemType = S['ProblemType'];
export type ObjectiveMetric = S['ObjectiveMetric'];
export type Candidate = S['Candidate'];
export type CandidateDetail = S['CandidateDetail'];
export type CandidateList = S['CandidateList'];
export type FeatureImportance = S['FeatureImportance'];
export type ConfusionMatrix = S['ConfusionMatrix'];
export type Curve = S['Curve'];
export type Residuals = S['Residuals'];
export type ModelInsights = S['ModelInsights'];
export type Artifact = S['Artifact'];
export type ArtifactList = S['ArtifactList'];
export type DeployRequest = S['DeployRequest'];
export type Endpoint = S['Endpoint'];
export type EndpointList = S['EndpointList'];
export type InvocationResponse = S['InvocationResponse'];
export type Prediction = S['Prediction'];
export type Explanation = S['Explanation'];
export type RowExplanation = S['RowExplanation'];
export type Contribution = S['Contribution'];
export type ExplanationSpace = S['ExplanationSpace'];
export type InferenceKey = S['InferenceKey'];
export type BatchPredictionRequest = S['BatchPredictionRequest'];
export type BatchPrediction = S['BatchPrediction'];
export type CostEstimate = S['CostEstimate'];
export type EndpointEstimateRequest = S['EndpointEstimateRequest'];
export type CleanupPlan = S['CleanupPlan'];
export type CleanupRequest = S['CleanupRequest'];
export type CleanupResult = S['CleanupResult'];
export type CleanupItem = S['CleanupItem'];
export type Deleted = S['Deleted'];
export type Trial = S['Trial'];
export type TrialList = S['TrialList'];
export type CandidateStatus = S['CandidateStatus'];
/** Query parameters of the experiments list. */
export type ListExperimentsQuery = Partial<S['ListExperimentsQuery']>;
/** Query parameters of the candidates list. */
export type ListCandidatesQuery = Partial<S['ListCandidatesQuery']>;
/** Query parameters of the trials list (every experiment's candidates). */
export type ListTrialsQuery = Partial<S['ListTrialsQuery']>;

// Endpoint monitoring (data capture, baseline, drift reports).
export type DataCaptureConfig = S['DataCaptureConfig'];
export type MonitoringConfig = S['MonitoringConfig'];
export type MonitoringStatus = S['MonitoringStatus'];
export type BaselineSummary = S['BaselineSummary'];
export type MonitoringReportRequest = S['MonitoringReportRequest'];
export type MonitoringReportSummary = S['MonitoringReportSummary'];
export type MonitoringReport = S['MonitoringReport'];
export type FeatureDrift = S['FeatureDrift'];
export type PredictionDrift = S['PredictionDrift'];
export type DriftHistogram = S['Histogram'];
export type DriftStatus = S['MonitoringReport']['status'];
export type Violation = S['Violation'];
export type CapturedRecord = S['CapturedRecord'];
export type CapturedRecords = S['CapturedRecords'];

// Production variants (traffic split), exports for SageMaker and their deployment.
export type VariantSpec = S['VariantSpec'];
export type ProductionVariant = S['ProductionVariant'];
export type LatencySummary = S['LatencySummary'];
export type TrafficUpdate = S['TrafficUpdate'];
export type ModelExportRequest = S['ModelExportRequest'];
export type ModelExport = S['ModelExport'];
export type ArtifactDeployRequest = S['ArtifactDeployRequest'];

// Imports: a SageMaker Autopilot candidate-definition notebook, re-run locally.
export type SageMakerNotebookImportRequest =
  S['SageMakerNotebookImportRequest'];
export type SageMakerNotebookImport = S['SageMakerNotebookImport'];
export type ImportedCandidate = S['ImportedCandidate'];
export type ImportedRange = S['ImportedRange'];
export type CandidatePlan = S['CandidatePlan'];
export type PlannedCandidate = S['PlannedCandidate'];
export type PlannedRecipe = S['PlannedRecipe'];
export type PlannedParam = S['PlannedParam'];
