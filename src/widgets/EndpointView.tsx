import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import {
  Button,
  deleteIcon,
  folderIcon,
  InputGroup,
  runIcon
} from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';
import { confirm } from '../common/dialogs';

import type {
  BatchPrediction,
  DatasetPreview,
  Endpoint,
  InferenceKey,
  Prediction
} from '../api/types';
import {
  ButtonIcon,
  ErrorMessage,
  Field,
  KeyValues,
  Loading,
  Notice,
  ProgressBar,
  RefreshButton,
  Section,
  Spinner,
  StatusBadge,
  TransContext,
  TRANSLATION_DOMAIN,
  useTrans
} from '../common/components';
import { PreviewTable } from '../common/PreviewTable';
import { VariantsSection } from '../components/Variants';
import {
  formatCount,
  formatDateTime,
  formatMetric,
  formatPercent,
  formatUsd,
  formatValue
} from '../format';
import {
  normalisePasted,
  orderedValues,
  previewRecord,
  toCsvRow
} from '../logic/csv';
import { SAGEMAKER_PRICING_URL } from '../deploy/hosting';
import { isNotFound } from '../logic/errors';
import { isBatchRunning, isEndpointBusy } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';
import { MonitoringSection } from '../monitoring/MonitoringSection';
import { MonitoringState } from '../monitoring/MonitoringState';

import { PolledView } from '../common/poll';

/** What the Predict form asks the endpoint for (label, and every class's probability). */
const PREDICT_KEYS: InferenceKey[] = [
  'predicted_label',
  'probability',
  'labels',
  'probabilities'
];

interface IEndpointData {
  endpoint: Endpoint | null;
  error: unknown;
  gone: boolean;
}

/**
 * One endpoint (main area): its details, a Predict form (a row from the
 * dataset or pasted CSV), batch predictions on a file, and Delete.
 */
export class EndpointView extends PolledView {
  constructor(options: EndpointView.IOptions) {
    super(
      `jupyter-autopilot:endpoint:${options.name}`,
      () => options.model.timing
    );
    this.name = options.name;
    this.model = options.model;
    this.actions = options.actions;
    this.translator = options.translator ?? nullTranslator;
    this.addClass('jp-AutopilotEndpoint');
    this.addClass('jp-Autopilot-view');
    this.monitoring = new MonitoringState({
      name: this.name,
      model: this.model,
      widget: this
    });
    this.monitoring.changed.connect(() => this.update(), this);
    this.model.endpointsChanged.connect((_, name) => {
      if (name === null || name === this.name) {
        void this.refresh();
      }
    }, this);
  }

  readonly name: string;

  async refresh(): Promise<void> {
    void this.monitoring.refresh();
    await super.refresh();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.monitoring.dispose();
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.monitoring.refresh();
  }

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        <EndpointDetail
          name={this.name}
          data={this.data}
          model={this.model}
          actions={this.actions}
          trans={trans}
          refresh={() => void this.refresh()}
          monitoring={this.monitoring}
          onEndpoint={endpoint => this.setEndpoint(endpoint)}
        />
      </TransContext.Provider>
    );
  }

  /** Show an endpoint the server just answered (after a weight change). */
  private setEndpoint(endpoint: Endpoint): void {
    this.data = { endpoint, error: null, gone: false };
    this.update();
    this.model.endpointsChanged.emit(endpoint.name);
  }

  protected async load(): Promise<boolean> {
    if (this.data.gone) {
      return false;
    }
    try {
      const endpoint = await this.model.client.getEndpoint(this.name);
      this.data = { endpoint, error: null, gone: false };
      this.update();
      return isEndpointBusy(endpoint.status);
    } catch (error) {
      const gone = isNotFound(error);
      this.data = { ...this.data, error: gone ? null : error, gone };
      this.update();
      if (gone) {
        return false;
      }
      throw error;
    }
  }

  private data: IEndpointData = { endpoint: null, error: null, gone: false };
  private model: AutopilotModel;
  private actions: IAutopilotActions;
  private translator: ITranslator;
  private monitoring: MonitoringState;
}

export namespace EndpointView {
  export interface IOptions {
    name: string;
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
  }
}

function EndpointDetail(props: {
  name: string;
  data: IEndpointData;
  model: AutopilotModel;
  actions: IAutopilotActions;
  trans: TranslationBundle;
  refresh: () => void;
  monitoring: MonitoringState;
  onEndpoint: (endpoint: Endpoint) => void;
}): JSX.Element {
  const trans = useTrans();
  const { data, model } = props;
  const e = data.endpoint;
  const [deleteError, setDeleteError] = React.useState<unknown>(null);
  const [deleting, setDeleting] = React.useState(false);

  if (data.gone) {
    return (
      <div className="jp-Autopilot-viewBody">
        <Notice kind="info">
          {trans.__('The endpoint %1 no longer exists.', props.name)}
        </Notice>
      </div>
    );
  }
  if (!e) {
    return (
      <div className="jp-Autopilot-viewBody">
        {data.error ? (
          <ErrorMessage
            error={data.error}
            title={trans.__('Cannot load endpoint %1.', props.name)}
            onRetry={props.refresh}
          />
        ) : (
          <Loading />
        )}
      </div>
    );
  }

  const remove = async () => {
    const ok = await confirm({
      trans: props.trans,
      title: trans.__('Delete endpoint %1?', e.name),
      body: trans.__(
        'The model stops serving predictions. The experiment and its models are kept.'
      ),
      accept: trans.__('Delete'),
      warn: true
    });
    if (!ok) {
      return;
    }
    setDeleting(true);
    setDeleteError(null);
    try {
      await model.client.deleteEndpoint(e.name);
      model.endpointsChanged.emit(e.name);
    } catch (error) {
      setDeleteError(error);
    } finally {
      setDeleting(false);
    }
  };

  const health = model.healthValue;
  const hosting = e.serverless
    ? trans.__(
        'Serverless, %1 MB, up to %2 concurrent',
        e.serverless.memory_size_mb,
        e.serverless.max_concurrency
      )
    : e.instance_type
      ? `${e.instance_type} × ${e.instance_count ?? 1}`
      : trans.__('Local process');
  return (
    <div className="jp-Autopilot-viewBody">
      <header className="jp-Autopilot-viewHeader">
        <h2>{e.name}</h2>
        {isEndpointBusy(e.status) && <Spinner />}
        <StatusBadge status={e.status} />
        <span className="jp-Autopilot-chip">{e.backend}</span>
        <span className="jp-Autopilot-spacer" />
        <div
          className="jp-Autopilot-toolbar"
          role="toolbar"
          aria-label={trans.__('Endpoint actions')}
        >
          <Button
            onClick={() => void remove()}
            disabled={deleting || e.status === 'Deleting'}
          >
            {deleting ? <Spinner /> : <ButtonIcon icon={deleteIcon} />}
            {trans.__('Delete endpoint')}
          </Button>
          <RefreshButton onClick={props.refresh} />
        </div>
      </header>
      <ErrorMessage error={deleteError} />
      <ErrorMessage
        error={data.error}
        title={trans.__('Cannot refresh:')}
        onRetry={props.refresh}
      />
      {e.status === 'Failed' && (
        <div className="jp-Autopilot-error" role="alert">
          {e.failure_reason ?? trans.__('The endpoint failed.')}
        </div>
      )}
      {e.backend_details?.warning && e.status !== 'Failed' && (
        <Notice kind="warning">{e.backend_details.warning}</Notice>
      )}
      {isEndpointBusy(e.status) && (
        <div className="jp-Autopilot-statusLine" role="status">
          <ProgressBar value={null} label={trans.__('Endpoint status')} />
          <span>
            {e.status === 'Creating'
              ? trans.__(
                  'Starting the model server; predictions are possible once it is in service.'
                )
              : e.status}
          </span>
        </div>
      )}
      <Section title={trans.__('Overview')}>
        <KeyValues
          label={trans.__('Endpoint details')}
          items={[
            [
              trans.__('Experiment'),
              e.experiment ? (
                <button
                  className="jp-Autopilot-linkButton"
                  onClick={() =>
                    props.actions.openExperiment(e.experiment as string)
                  }
                >
                  {e.experiment}
                </button>
              ) : (
                '–'
              )
            ],
            e.variants?.length
              ? [
                  trans.__('Model'),
                  trans.__(
                    '%1 production variants: %2',
                    e.variants.length,
                    e.variants.map(v => v.candidate).join(', ')
                  )
                ]
              : [
                  trans.__('Model'),
                  [e.candidate, e.algorithm].filter(Boolean).join(' · ') ||
                    e.model_name ||
                    '–'
                ],
            [
              trans.__('Objective'),
              e.variants?.length
                ? (e.objective_metric ?? '–')
                : e.objective_metric
                  ? `${e.objective_metric} ${formatMetric(e.objective_value)}`
                  : '–'
            ],
            [trans.__('Hosting'), hosting],
            [trans.__('Invocations'), formatCount(e.invocation_count)],
            [
              trans.__('Latency'),
              e.latency?.samples
                ? trans.__(
                    'p50 %1 ms · p95 %2 ms · p99 %3 ms (%4 requests)',
                    e.latency.p50_ms?.toFixed(1) ?? '–',
                    e.latency.p95_ms?.toFixed(1) ?? '–',
                    e.latency.p99_ms?.toFixed(1) ?? '–',
                    e.latency.samples
                  )
                : trans.__('no requests yet')
            ],
            ...(e.hourly_cost_usd || e.backend_details?.cost_note
              ? ([
                  [
                    trans.__('Cost'),
                    <span key="cost" title={e.backend_details?.cost_note}>
                      {e.hourly_cost_usd
                        ? trans.__(
                            'about %1 per hour (approximate)',
                            formatUsd(e.hourly_cost_usd)
                          )
                        : e.backend_details?.cost_note}{' '}
                      {e.backend === 'sagemaker' && (
                        <a
                          href={SAGEMAKER_PRICING_URL}
                          target="_blank"
                          rel="noreferrer"
                        >
                          {trans.__('SageMaker pricing')}
                        </a>
                      )}
                    </span>
                  ]
                ] as Array<[string, React.ReactNode]>)
              : []),
            ...(e.backend_details?.region
              ? ([[trans.__('Region'), e.backend_details.region]] as Array<
                  [string, string]
                >)
              : []),
            ...(e.backend_details?.endpoint_arn
              ? ([
                  [trans.__('Endpoint ARN'), e.backend_details.endpoint_arn]
                ] as Array<[string, string]>)
              : []),
            ...(e.backend_details?.endpoint_config
              ? ([
                  [
                    trans.__('Endpoint configuration'),
                    e.backend_details.endpoint_config
                  ]
                ] as Array<[string, string]>)
              : []),
            [trans.__('Created'), formatDateTime(e.created_at)],
            [
              trans.__('Input columns'),
              e.input_columns?.length ? e.input_columns.join(', ') : '–'
            ]
          ]}
        />
      </Section>
      <VariantsSection
        endpoint={e}
        model={model}
        onUpdated={props.onEndpoint}
      />
      <Section title={trans.__('Predict')}>
        {e.status === 'InService' ? (
          <PredictForm endpoint={e} model={model} />
        ) : (
          <p className="jp-Autopilot-muted">
            {trans.__(
              'Predictions are possible once the endpoint is in service.'
            )}
          </p>
        )}
      </Section>
      {(health?.features.batch_predictions ?? true) && (
        <Section title={trans.__('Batch prediction')}>
          <BatchForm endpoint={e} model={model} actions={props.actions} />
        </Section>
      )}
      {!model.notImplemented('monitoring_status') && (
        <MonitoringSection
          endpoint={e}
          model={model}
          state={props.monitoring}
        />
      )}
    </div>
  );
}

/** The form of predicting one row (from the dataset sample) or pasted CSV rows. */
function PredictForm(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
}): JSX.Element {
  const trans = useTrans();
  const { endpoint, model } = props;
  const columns = endpoint.input_columns ?? [];
  const [mode, setMode] = React.useState<'row' | 'csv'>('row');
  const [sample, setSample] = React.useState<DatasetPreview | null>(null);
  const [target, setTarget] = React.useState<string | null>(null);
  const [sampleError, setSampleError] = React.useState<unknown>(null);
  const [selectedRow, setSelectedRow] = React.useState<number | null>(null);
  const [values, setValues] = React.useState<Record<string, string>>({});
  const [pasted, setPasted] = React.useState('');
  const [predicting, setPredicting] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const [result, setResult] = React.useState<{
    rows: string[][];
    predictions: Prediction[];
    actual?: string | null;
    variant?: string | null;
  } | null>(null);

  // A sample of the experiment's data, to fill the form from a real row.
  React.useEffect(() => {
    if (!endpoint.experiment) {
      return;
    }
    let cancelled = false;
    (async () => {
      try {
        const experiment = await model.client.getExperiment(
          endpoint.experiment as string
        );
        const preview = await model.client.previewDataset({
          uri: experiment.spec.input_uri,
          rows: 20,
          delimiter: experiment.spec.delimiter ?? null
        });
        if (!cancelled) {
          setSample(preview);
          setTarget(experiment.spec.target);
        }
      } catch (e) {
        if (!cancelled) {
          setSampleError(e);
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [endpoint.experiment]);

  const chooseRow = (index: number) => {
    if (!sample) {
      return;
    }
    setSelectedRow(index);
    const record = previewRecord(sample, index);
    const next: Record<string, string> = {};
    for (const c of columns) {
      next[c] = record[c] ?? '';
    }
    setValues(next);
    setResult(null);
  };

  const predict = async () => {
    setPredicting(true);
    setError(null);
    setResult(null);
    try {
      if (mode === 'row') {
        const row = orderedValues(values, columns);
        const { response, variant } = await model.client.invokeWithVariant(
          endpoint.name,
          toCsvRow(row) + '\n',
          PREDICT_KEYS
        );
        const actual =
          sample && selectedRow !== null && target
            ? (previewRecord(sample, selectedRow)[target] ?? null)
            : undefined;
        setResult({
          rows: [row],
          predictions: response.predictions,
          actual,
          variant
        });
      } else {
        const { rows, body } = normalisePasted(pasted, columns);
        if (!rows.length) {
          throw new Error(trans.__('Paste at least one row of CSV.'));
        }
        const { response, variant } = await model.client.invokeWithVariant(
          endpoint.name,
          body,
          PREDICT_KEYS
        );
        setResult({ rows, predictions: response.predictions, variant });
      }
      model.endpointsChanged.emit(endpoint.name);
    } catch (e) {
      setError(e);
    } finally {
      setPredicting(false);
    }
  };

  const filled = columns.some(c => (values[c] ?? '') !== '');
  return (
    <div className="jp-AutopilotPredict">
      <div
        className="jp-Autopilot-segmented"
        role="radiogroup"
        aria-label={trans.__('Input')}
      >
        <label className={mode === 'row' ? 'jp-mod-active' : undefined}>
          <input
            type="radio"
            name="jp-autopilot-predict-mode"
            checked={mode === 'row'}
            onChange={() => setMode('row')}
          />
          {trans.__('One row')}
        </label>
        <label className={mode === 'csv' ? 'jp-mod-active' : undefined}>
          <input
            type="radio"
            name="jp-autopilot-predict-mode"
            checked={mode === 'csv'}
            onChange={() => setMode('csv')}
          />
          {trans.__('Paste CSV')}
        </label>
      </div>
      {mode === 'row' ? (
        <>
          {sample ? (
            <details
              className="jp-Autopilot-details"
              open={selectedRow === null}
            >
              <summary>
                {trans.__('Fill from a row of the training data')}
              </summary>
              <PreviewTable
                preview={sample}
                highlight={target ?? undefined}
                maxRows={20}
                selectedRow={selectedRow}
                onSelectRow={chooseRow}
                caption={trans.__('Sample rows of the training data')}
              />
            </details>
          ) : sampleError ? (
            <Notice kind="info">
              {trans.__(
                'The training data sample is not available; type the values or paste CSV.'
              )}
            </Notice>
          ) : endpoint.experiment ? (
            <Loading label={trans.__('Loading a sample of the data…')} />
          ) : null}
          <div className="jp-AutopilotPredict-inputs">
            {columns.map(c => (
              <label key={c} className="jp-AutopilotPredict-input">
                <span>{c}</span>
                <input
                  className="jp-mod-styled"
                  value={values[c] ?? ''}
                  onChange={ev =>
                    setValues(v => ({ ...v, [c]: ev.target.value }))
                  }
                />
              </label>
            ))}
          </div>
        </>
      ) : (
        <Field
          id="jp-autopilot-predict-csv"
          label={trans.__('CSV rows')}
          help={trans.__(
            'One row per line, columns in this order: %1. A header line with the column names is also accepted.',
            columns.join(', ')
          )}
        >
          <textarea
            id="jp-autopilot-predict-csv"
            className="jp-mod-styled jp-AutopilotPredict-csv"
            rows={6}
            value={pasted}
            onChange={ev => setPasted(ev.target.value)}
            spellCheck={false}
          />
        </Field>
      )}
      <div className="jp-Autopilot-inline">
        <Button
          className="jp-Autopilot-primary"
          onClick={() => void predict()}
          disabled={predicting || (mode === 'row' ? !filled : !pasted.trim())}
        >
          {predicting ? <Spinner /> : <ButtonIcon icon={runIcon} />}
          {trans.__('Predict')}
        </Button>
      </div>
      <ErrorMessage error={error} title={trans.__('Prediction failed.')} />
      <div className="jp-AutopilotPredict-result" aria-live="polite">
        {result?.variant && (
          <p className="jp-AutopilotPredict-variant" data-testid="served-by">
            {trans.__(
              'Served by variant %1 (candidate %2)',
              result.variant,
              endpoint.variants?.find(v => v.name === result.variant)
                ?.candidate ?? '–'
            )}
          </p>
        )}
        {result && <PredictionResult {...result} />}
      </div>
    </div>
  );
}

/** The probability of the predicted label (from per-class probabilities when given). */
export function labelProbability(p: Prediction): number | null {
  if (p.labels && p.probabilities) {
    const index = p.labels.findIndex(
      l => String(l) === String(p.predicted_label)
    );
    if (index >= 0 && typeof p.probabilities[index] === 'number') {
      return p.probabilities[index];
    }
  }
  return null;
}

function PredictionResult(props: {
  rows: string[][];
  predictions: Prediction[];
  actual?: string | null;
  variant?: string | null;
}): JSX.Element {
  const trans = useTrans();
  if (props.predictions.length === 1) {
    const p = props.predictions[0];
    const confidence = labelProbability(p) ?? p.probability ?? null;
    const classes =
      p.labels && p.probabilities
        ? p.labels.map((label, i) => ({
            label,
            probability: p.probabilities?.[i] ?? 0
          }))
        : [];
    return (
      <div className="jp-AutopilotPredict-single" role="status">
        <div className="jp-AutopilotPredict-label">
          <span className="jp-Autopilot-muted">
            {trans.__('Predicted label')}
          </span>
          <strong data-testid="predicted-label">
            {formatValue(p.predicted_label)}
          </strong>
        </div>
        {confidence !== null && (
          <div className="jp-AutopilotPredict-probability">
            <span className="jp-Autopilot-muted">
              {trans.__('Probability')}
            </span>
            <strong>{formatPercent(confidence, 1)}</strong>
          </div>
        )}
        {props.actual !== undefined && (
          <div className="jp-AutopilotPredict-actual">
            <span className="jp-Autopilot-muted">
              {trans.__('Actual value in the data')}
            </span>
            <strong>{props.actual ?? trans.__('missing')}</strong>
          </div>
        )}
        {classes.length > 0 && (
          <table
            className="jp-AutopilotPredict-classes"
            aria-label={trans.__('Probability of each class')}
          >
            <tbody>
              {classes.map(c => (
                <tr
                  key={c.label}
                  className={
                    String(c.label) === String(p.predicted_label)
                      ? 'jp-mod-predicted'
                      : undefined
                  }
                >
                  <th scope="row">{c.label}</th>
                  <td className="jp-AutopilotPredict-bar">
                    <ProgressBar
                      value={c.probability}
                      label={trans.__('Probability of %1', c.label)}
                    />
                  </td>
                  <td className="jp-mod-numeric">
                    {formatPercent(c.probability, 1)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  }
  return (
    <div className="jp-Autopilot-tableScroll">
      <table
        className="jp-Autopilot-table"
        aria-label={trans.__('Predictions')}
      >
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{trans.__('Predicted label')}</th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Probability')}
            </th>
            <th scope="col">{trans.__('Row')}</th>
          </tr>
        </thead>
        <tbody>
          {props.predictions.map((p, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>
                <strong>{formatValue(p.predicted_label)}</strong>
              </td>
              <td className="jp-mod-numeric">
                {formatPercent(labelProbability(p) ?? p.probability, 1)}
              </td>
              <td className="jp-Autopilot-examples">
                {(props.rows[i] ?? []).join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Start a batch prediction on a file, follow it, and open the output. */
function BatchForm(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  actions: IAutopilotActions;
}): JSX.Element {
  const trans = useTrans();
  const { endpoint, model, actions } = props;
  const [input, setInput] = React.useState('');
  const [output, setOutput] = React.useState('');
  const [batch, setBatch] = React.useState<BatchPrediction | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [starting, setStarting] = React.useState(false);

  React.useEffect(() => {
    if (!batch || !isBatchRunning(batch)) {
      return;
    }
    const timer = window.setTimeout(async () => {
      try {
        setBatch(await model.client.getBatchPrediction(batch.id));
      } catch (e) {
        setError(e);
        setBatch(b => (b ? { ...b } : b));
      }
    }, 1000);
    return () => window.clearTimeout(timer);
  }, [batch]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      setBatch(
        await model.client.startBatchPrediction(endpoint.name, {
          input_path: input.trim(),
          output_path: output.trim() || null,
          inference_response_keys: null
        })
      );
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  };

  const running = batch ? isBatchRunning(batch) : false;
  return (
    <div className="jp-AutopilotBatch">
      <p className="jp-Autopilot-muted">
        {trans.__(
          'Predict every row of a CSV file; the predictions are written to a new CSV next to it.'
        )}
      </p>
      <div className="jp-Autopilot-grid2">
        <Field id="jp-autopilot-batch-input" label={trans.__('Input CSV')}>
          <div className="jp-Autopilot-inline">
            <InputGroup
              id="jp-autopilot-batch-input"
              value={input}
              placeholder="bank-additional/bank-additional.csv"
              onChange={ev => setInput((ev.target as HTMLInputElement).value)}
            />
            <Button
              onClick={async () => {
                const path = await actions.pickFile(
                  trans.__('Choose the rows to predict'),
                  ['.csv', '.csv.gz']
                );
                if (path) {
                  setInput(path);
                }
              }}
            >
              <ButtonIcon icon={folderIcon} />
              {trans.__('Browse…')}
            </Button>
          </div>
        </Field>
        <Field
          id="jp-autopilot-batch-output"
          label={trans.__('Output CSV (optional)')}
          help={trans.__('Default: <input>.predictions.csv next to the input.')}
        >
          <InputGroup
            id="jp-autopilot-batch-output"
            value={output}
            onChange={ev => setOutput((ev.target as HTMLInputElement).value)}
          />
        </Field>
      </div>
      <Button
        onClick={() => void start()}
        disabled={
          !input.trim() ||
          starting ||
          running ||
          endpoint.status !== 'InService'
        }
      >
        {starting ? <Spinner /> : <ButtonIcon icon={runIcon} />}
        {trans.__('Run batch prediction')}
      </Button>
      <ErrorMessage
        error={error}
        title={trans.__('Batch prediction failed.')}
      />
      {batch && (
        <div className="jp-AutopilotBatch-status" aria-live="polite">
          <p>
            <StatusBadge status={batch.status} />{' '}
            {batch.rows_total
              ? trans.__(
                  '%1 of %2 rows',
                  formatCount(batch.rows_done),
                  formatCount(batch.rows_total)
                )
              : trans.__('%1 rows', formatCount(batch.rows_done))}
          </p>
          {running && (
            <ProgressBar
              value={
                batch.rows_total ? batch.rows_done / batch.rows_total : null
              }
              label={trans.__('Batch prediction progress')}
            />
          )}
          {batch.status === 'Failed' && (
            <div className="jp-Autopilot-error" role="alert">
              {batch.failure_reason ?? trans.__('The batch prediction failed.')}
            </div>
          )}
          {batch.status === 'Completed' && (
            <Button onClick={() => void actions.openPath(batch.output_path)}>
              {trans.__('Open %1', batch.output_path)}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
