/**
 * The Predict form: one row (from the dataset sample) or pasted CSV rows sent to
 * the endpoint.
 */
import { Button, runIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  DatasetPreview,
  Endpoint,
  ExperimentSpec,
  InferenceKey,
  Prediction
} from '../api/types';
import {
  ButtonIcon,
  ErrorMessage,
  Field,
  Loading,
  Notice,
  Spinner,
  useTrans
} from '../common/components';
import { PreviewTable } from '../common/PreviewTable';
import {
  normalisePasted,
  orderedValues,
  previewRecord,
  toCsvRow
} from '../logic/csv';
import { AutopilotModel } from '../model';
import { IScenario } from './explanations';
import { ExplanationChart, ScenarioComparison } from './ExplanationView';
import { ForecastForm } from './ForecastForm';
import { PredictionResult } from './PredictionResult';

/** What the Predict form asks the endpoint for (label, and every class's probability). */
const PREDICT_KEYS: InferenceKey[] = [
  'predicted_label',
  'probability',
  'labels',
  'probabilities'
];
/** The form of predicting one row (from the dataset sample) or pasted CSV rows. */
export function PredictForm(props: {
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
    scenario?: IScenario;
  } | null>(null);
  // What-if: the scenario (A) the next predictions (B) are compared with.
  const [pinned, setPinned] = React.useState<IScenario | null>(null);
  // A forecaster's endpoint takes items, not rows: its own form (from the experiment).
  const [forecaster, setForecaster] = React.useState<ExperimentSpec | null>(
    null
  );
  // Local endpoints always explain; SageMaker ones when deployed with explanations.
  const explains =
    (model.healthValue?.features.explanations ?? false) &&
    endpoint.explanations;

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
        if (experiment.spec.forecast) {
          if (!cancelled) {
            setForecaster(experiment.spec);
          }
          return;
        }
        const preview = await model.client.previewDataset({
          uri: experiment.spec.input_uri,
          rows: 20,
          delimiter: experiment.spec.delimiter ?? null,
          target: null,
          forecast: null
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
  }, [model, endpoint.experiment]);

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
          PREDICT_KEYS,
          explains
        );
        const actual =
          sample && selectedRow !== null && target
            ? (previewRecord(sample, selectedRow)[target] ?? null)
            : undefined;
        const explanation = response.explanation ?? null;
        setResult({
          rows: [row],
          predictions: response.predictions,
          actual,
          variant,
          scenario: {
            values: { ...values },
            prediction: response.predictions[0],
            explanation: explanation?.rows[0] ?? null,
            space: explanation?.space ?? null,
            method: explanation?.method ?? null
          }
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
  if (forecaster) {
    return <ForecastForm endpoint={endpoint} model={model} spec={forecaster} />;
  }

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
        {mode === 'row' && !pinned && result?.scenario && (
          <Button
            onClick={() => {
              setPinned(result.scenario ?? null);
              setResult(null);
            }}
          >
            {trans.__('What-if: compare with changed values')}
          </Button>
        )}
        {mode === 'row' && pinned && (
          <Button onClick={() => setPinned(null)}>
            {trans.__('End comparison')}
          </Button>
        )}
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
        {mode === 'row' && pinned ? (
          <ScenarioComparison
            a={pinned}
            b={result?.scenario ?? null}
            columns={columns}
          />
        ) : (
          result && (
            <div className="jp-AutopilotPredict-explained">
              <PredictionResult {...result} />
              {result.scenario?.explanation &&
                result.scenario.space &&
                result.scenario.method && (
                  <ExplanationChart
                    row={result.scenario.explanation}
                    space={result.scenario.space}
                    method={result.scenario.method}
                  />
                )}
            </div>
          )
        )}
      </div>
    </div>
  );
}
