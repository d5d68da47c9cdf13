import { ServerConnection } from '@jupyterlab/services';

import { requestAPI, requestAPIWithHeaders } from './request';
import type * as T from './types';

const enc = encodeURIComponent;

/** The response header naming the production variant that answered an invocation. */
export const INVOKED_VARIANT_HEADER = 'X-Autopilot-Invoked-Variant';

/** An invocation's answer and the production variant that served it (if split). */
export interface IInvocationResult {
  response: T.InvocationResponse;
  /** null for a single-model endpoint. */
  variant: string | null;
}

/**
 * Typed access to every route of the Autopilot REST API.
 *
 * One instance is shared by all panels (see `index.ts`); on a server that offers more
 * than one backend (`health().backends`), `withBackend(name)` is a client addressing
 * that one (every request gets `?backend=<name>`).
 */
export class AutopilotClient {
  constructor(
    readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings(),
    /** The backend every request addresses; null: the server's default. */
    readonly backend: string | null = null
  ) {}

  /** A client for another of the server's backends (null: the default one). */
  withBackend(backend: string | null): AutopilotClient {
    return backend === this.backend
      ? this
      : new AutopilotClient(this.serverSettings, backend);
  }

  private call<R>(path: string, options?: Parameters<typeof requestAPI>[2]) {
    return requestAPI<R>(path, this.serverSettings, this.addressed(options));
  }

  /** `options` with this client's backend in the query (the one place it is added). */
  private addressed(
    options: Parameters<typeof requestAPI>[2] = {}
  ): Parameters<typeof requestAPI>[2] {
    if (!this.backend) {
      return options;
    }
    return { ...options, query: { ...options.query, backend: this.backend } };
  }

  health(): Promise<T.Health> {
    return this.call('health');
  }

  previewDataset(request: T.DatasetPreviewRequest): Promise<T.DatasetPreview> {
    return this.call('datasets/preview', { method: 'POST', body: request });
  }

  uploadDataset(
    request: T.DatasetUploadRequest
  ): Promise<T.DatasetUploadResponse> {
    return this.call('datasets/upload', { method: 'POST', body: request });
  }

  /** The sample datasets shipped with the extension (the tutorial's data). */
  listSamples(): Promise<T.SampleList> {
    return this.call('samples');
  }

  /**
   * Copy a sample's CSV under the Jupyter root (never over a user's file: an
   * identical copy is reused, otherwise the copy gets a free name).
   */
  copySample(
    name: string,
    request: T.SampleCopyRequest = {}
  ): Promise<T.SampleCopy> {
    return this.call(`samples/${enc(name)}`, { method: 'POST', body: request });
  }

  listExperiments(
    query: T.ListExperimentsQuery = {}
  ): Promise<T.ExperimentList> {
    return this.call('experiments', { query: query as any });
  }

  createExperiment(spec: T.ExperimentSpec): Promise<T.Experiment> {
    return this.call('experiments', { method: 'POST', body: spec });
  }

  /**
   * What creating `spec` would say (data warnings, resolved budget, whether the
   * name is free), starting nothing; bad input fails exactly as create would.
   */
  validateExperiment(spec: T.ExperimentSpec): Promise<T.ExperimentValidation> {
    return this.call('validation/experiment', { method: 'POST', body: spec });
  }

  getExperiment(name: string): Promise<T.Experiment> {
    return this.call(`experiments/${enc(name)}`);
  }

  deleteExperiment(name: string): Promise<T.Deleted> {
    return this.call(`experiments/${enc(name)}`, { method: 'DELETE' });
  }

  stopExperiment(name: string): Promise<T.Experiment> {
    return this.call(`experiments/${enc(name)}/stop`, { method: 'POST' });
  }

  rerunExperiment(name: string): Promise<T.Experiment> {
    return this.call(`experiments/${enc(name)}/rerun`, { method: 'POST' });
  }

  /** Continue an ended local experiment's search with more time and/or candidates. */
  extendExperiment(
    name: string,
    request: T.ExperimentExtendRequest
  ): Promise<T.Experiment> {
    return this.call(`experiments/${enc(name)}/extend`, {
      method: 'POST',
      body: request
    });
  }

  listCandidates(
    name: string,
    query: T.ListCandidatesQuery = {}
  ): Promise<T.CandidateList> {
    return this.call(`experiments/${enc(name)}/candidates`, {
      query: query as any
    });
  }

  /**
   * Trials of every experiment (or of `query.experiments`), filtered and sorted by
   * the server; `hyperparameter_names` and `metric_names` name the table columns.
   */
  listTrials(query: T.ListTrialsQuery = {}): Promise<T.TrialList> {
    const { experiments, ...rest } = query;
    return this.call('trials', {
      query: {
        ...(rest as Record<string, string | number | null | undefined>),
        experiments: experiments?.length ? experiments.join(',') : undefined
      }
    });
  }

  getCandidate(name: string, candidate: string): Promise<T.CandidateDetail> {
    return this.call(`experiments/${enc(name)}/candidates/${enc(candidate)}`);
  }

  listArtifacts(name: string): Promise<T.ArtifactList> {
    return this.call(`experiments/${enc(name)}/artifacts`);
  }

  deploy(name: string, request: T.DeployRequest): Promise<T.Endpoint> {
    return this.call(`experiments/${enc(name)}/deploy`, {
      method: 'POST',
      body: request
    });
  }

  cleanupPlan(name: string): Promise<T.CleanupPlan> {
    return this.call(`experiments/${enc(name)}/cleanup`);
  }

  cleanup(name: string, request: T.CleanupRequest): Promise<T.CleanupResult> {
    return this.call(`experiments/${enc(name)}/cleanup`, {
      method: 'POST',
      body: request
    });
  }

  listEndpoints(): Promise<T.EndpointList> {
    return this.call('endpoints');
  }

  getEndpoint(name: string): Promise<T.Endpoint> {
    return this.call(`endpoints/${enc(name)}`);
  }

  deleteEndpoint(name: string): Promise<T.Deleted> {
    return this.call(`endpoints/${enc(name)}`, { method: 'DELETE' });
  }

  /** Predict CSV rows (with or without header) or JSON instances. */
  async invoke(
    name: string,
    rows: string | Array<Record<string, unknown> | unknown[]>,
    keys?: T.InferenceKey[]
  ): Promise<T.InvocationResponse> {
    return (await this.invokeWithVariant(name, rows, keys)).response;
  }

  /**
   * Ask a forecaster's endpoint for its forecasts (`item_ids` omitted: every item); the
   * answer's `forecasts` are tidy rows (item_id, timestamp, mean, p10...).
   */
  forecast(
    name: string,
    body: T.ForecastInvocationBody
  ): Promise<T.InvocationResponse> {
    return this.call(`endpoints/${enc(name)}/invocations`, {
      method: 'POST',
      body,
      accept: 'application/json'
    });
  }

  /**
   * The rows a forecaster's forecast of `itemIds` (empty: every item) needs: each step's
   * timestamp and each related column at the item's last known value, to edit (what-if)
   * and send back as `future`.
   */
  forecastFuture(
    name: string,
    itemIds: readonly string[]
  ): Promise<T.ForecastFuture> {
    return this.call(`endpoints/${enc(name)}/future`, {
      query: itemIds.length ? { item_ids: itemIds.join(',') } : {}
    });
  }

  /**
   * Predict like `invoke`, and say which production variant answered (from the
   * `X-Autopilot-Invoked-Variant` header; null when traffic is not split).
   */
  async invokeWithVariant(
    name: string,
    rows: string | Array<Record<string, unknown> | unknown[]>,
    keys?: T.InferenceKey[],
    explain = false
  ): Promise<IInvocationResult> {
    const query: Record<string, string> = {};
    if (keys?.length) {
      query.keys = keys.join(',');
    }
    if (explain) {
      query.explain = 'true';
    }
    const options: Parameters<typeof requestAPI>[2] =
      typeof rows === 'string'
        ? {
            method: 'POST',
            rawBody: rows,
            contentType: 'text/csv',
            accept: 'application/json',
            query
          }
        : {
            method: 'POST',
            body: { instances: rows },
            accept: 'application/json',
            query
          };
    const { body, headers } = await requestAPIWithHeaders<T.InvocationResponse>(
      `endpoints/${enc(name)}/invocations`,
      this.serverSettings,
      this.addressed(options)
    );
    return { response: body, variant: headers.get(INVOKED_VARIANT_HEADER) };
  }

  /**
   * New weights for an endpoint's production variants (400 for an unknown variant
   * or all weights 0; 409 on a single-model endpoint).
   */
  updateTraffic(
    name: string,
    weights: T.TrafficUpdate['weights']
  ): Promise<T.Endpoint> {
    return this.call(`endpoints/${enc(name)}/traffic`, {
      method: 'PUT',
      body: { weights }
    });
  }

  /** Export a candidate as a model.tar.gz for SageMaker's scikit-learn image. */
  exportCandidate(
    name: string,
    candidate: string,
    request: T.ModelExportRequest = { output_path: null, overwrite: false }
  ): Promise<T.ModelExport> {
    return this.call(
      `experiments/${enc(name)}/candidates/${enc(candidate)}/export`,
      { method: 'POST', body: request }
    );
  }

  /** Deploy an exported model.tar.gz (under the root or on S3) as a new endpoint. */
  deployArtifact(request: T.ArtifactDeployRequest): Promise<T.Endpoint> {
    return this.call('endpoints', { method: 'POST', body: request });
  }

  startBatchPrediction(
    endpoint: string,
    request: T.BatchPredictionRequest
  ): Promise<T.BatchPrediction> {
    return this.call(`endpoints/${enc(endpoint)}/batch-predictions`, {
      method: 'POST',
      body: request
    });
  }

  getBatchPrediction(id: string): Promise<T.BatchPrediction> {
    return this.call(`batch-predictions/${enc(id)}`);
  }

  /** Stop a batch prediction (sagemaker: StopTransformJob; no partial output). */
  stopBatchPrediction(id: string): Promise<T.BatchPrediction> {
    return this.call(`batch-predictions/${enc(id)}/stop`, {
      method: 'POST',
      body: {}
    });
  }

  /** What an endpoint of this shape would cost (sagemaker; shipped price table). */
  estimateEndpoint(
    request: T.EndpointEstimateRequest
  ): Promise<T.CostEstimate> {
    return this.call('estimates/endpoint', { method: 'POST', body: request });
  }

  /**
   * Read a SageMaker Autopilot candidate-definition notebook (a path under the server
   * root): its job, objective and candidates, and the `plan` that an experiment's
   * `candidate_plan` re-runs locally. Creates nothing; 400 for a notebook that is not
   * one, 404 for a missing file.
   */
  importSageMakerNotebook(path: string): Promise<T.SageMakerNotebookImport> {
    const request: T.SageMakerNotebookImportRequest = { path };
    return this.call('imports/sagemaker-notebook', {
      method: 'POST',
      body: request
    });
  }

  /** Capture settings, captured data, baseline and reports (newest first) of an endpoint. */
  getMonitoring(endpoint: string): Promise<T.MonitoringStatus> {
    return this.call(`endpoints/${enc(endpoint)}/monitoring`);
  }

  /** Turn data capture on or off and set the drift report schedule. */
  configureMonitoring(
    endpoint: string,
    config: T.MonitoringConfig
  ): Promise<T.MonitoringStatus> {
    return this.call(`endpoints/${enc(endpoint)}/monitoring`, {
      method: 'PUT',
      body: config
    });
  }

  /** Run a drift report now (409 when nothing was captured in the window). */
  runMonitoringReport(
    endpoint: string,
    request: T.MonitoringReportRequest
  ): Promise<T.MonitoringReport> {
    return this.call(`endpoints/${enc(endpoint)}/monitoring/reports`, {
      method: 'POST',
      body: request
    });
  }

  getMonitoringReport(
    endpoint: string,
    reportId: string
  ): Promise<T.MonitoringReport> {
    return this.call(
      `endpoints/${enc(endpoint)}/monitoring/reports/${enc(reportId)}`
    );
  }

  /** The newest `limit` captured requests and responses, newest first. */
  listCaptures(endpoint: string, limit = 20): Promise<T.CapturedRecords> {
    return this.call(`endpoints/${enc(endpoint)}/monitoring/captures`, {
      query: { limit }
    });
  }
}
