/**
 * Batch predictions: start one on a file, follow it, and open the output.
 */
import { Button, InputGroup, runIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { BatchPrediction, Endpoint } from '../api/types';
import {
  BrowseButton,
  ButtonIcon,
  ErrorMessage,
  Field,
  ProgressBar,
  Spinner,
  StatusBadge,
  useTrans
} from '../common/components';
import { formatCount } from '../format';
import { isBatchRunning } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';
import { batchRequest } from './predictions';

/** Start a batch prediction on a file, follow it, and open the output. */
export function BatchForm(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  actions: IAutopilotActions;
}): JSX.Element {
  const trans = useTrans();
  const { endpoint, model, actions } = props;
  const [input, setInput] = React.useState('');
  const [output, setOutput] = React.useState('');
  const [overwrite, setOverwrite] = React.useState(false);
  const [batch, setBatch] = React.useState<BatchPrediction | null>(null);
  const [error, setError] = React.useState<unknown>(null);
  const [starting, setStarting] = React.useState(false);
  const [stopping, setStopping] = React.useState(false);
  // On SageMaker a batch is a transform job: S3 inputs, no row progress.
  const onSageMaker = model.healthValue?.backend === 'sagemaker';

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
  }, [model, batch]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      setBatch(
        await model.client.startBatchPrediction(
          endpoint.name,
          batchRequest({ input, output, overwrite })
        )
      );
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  };

  const stop = async () => {
    if (!batch) {
      return;
    }
    setStopping(true);
    try {
      setBatch(await model.client.stopBatchPrediction(batch.id));
    } catch (e) {
      setError(e);
    } finally {
      setStopping(false);
    }
  };

  const running = batch ? isBatchRunning(batch) : false;
  return (
    <div className="jp-AutopilotBatch">
      <p className="jp-Autopilot-muted">
        {onSageMaker
          ? trans.__(
              "Runs a SageMaker batch transform job with this endpoint's model (billed per instance-hour while it runs). A file under the root is uploaded to S3 first, without its header; an s3:// CSV must have no header row. The result is downloaded when the job finishes."
            )
          : trans.__(
              'Predict every row of a CSV file; the predictions are written to a new CSV next to it.'
            )}
      </p>
      <div className="jp-Autopilot-grid2">
        <Field
          id="jp-autopilot-batch-input"
          label={
            onSageMaker
              ? trans.__('Input CSV (a file or an s3:// URI)')
              : trans.__('Input CSV')
          }
        >
          <div className="jp-Autopilot-inline">
            <InputGroup
              id="jp-autopilot-batch-input"
              value={input}
              placeholder={
                onSageMaker
                  ? 's3://bucket/rows.csv or bank-additional/bank-additional.csv'
                  : 'bank-additional/bank-additional.csv'
              }
              onChange={ev => setInput((ev.target as HTMLInputElement).value)}
            />
            <BrowseButton
              onClick={async () => {
                const path = await actions.pickFile(
                  trans.__('Choose the rows to predict'),
                  ['.csv', '.csv.gz']
                );
                if (path) {
                  setInput(path);
                }
              }}
            />
          </div>
        </Field>
        <Field
          id="jp-autopilot-batch-output"
          label={trans.__('Output CSV (optional)')}
          help={
            onSageMaker
              ? trans.__(
                  'Default: <input>.predictions.csv next to the input (at the root for an s3:// input).'
                )
              : trans.__('Default: <input>.predictions.csv next to the input.')
          }
        >
          <InputGroup
            id="jp-autopilot-batch-output"
            value={output}
            onChange={ev => setOutput((ev.target as HTMLInputElement).value)}
          />
        </Field>
      </div>
      <label className="jp-Autopilot-checkbox">
        <input
          type="checkbox"
          checked={overwrite}
          onChange={ev => setOverwrite(ev.target.checked)}
        />
        {trans.__(
          'Replace the output file if it exists (never the input or a file in the Autopilot folder)'
        )}
      </label>
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
          {running && onSageMaker && (
            <p className="jp-Autopilot-muted">
              {trans.__(
                'Transform job %1: %2. SageMaker reports no row count; rows are counted when the result arrives.',
                String(batch.details?.transform_job ?? ''),
                String(batch.details?.transform_job_status ?? 'InProgress')
              )}
            </p>
          )}
          {running && (
            <Button
              className="jp-AutopilotBatch-stop"
              onClick={() => void stop()}
              disabled={stopping}
            >
              {stopping ? <Spinner /> : null}
              {trans.__('Stop')}
            </Button>
          )}
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
          {batch.status === 'Completed' &&
            typeof batch.details?.note === 'string' && (
              <p className="jp-Autopilot-muted">{batch.details.note}</p>
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
