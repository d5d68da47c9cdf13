/**
 * The way out of the local wizard: "Run on SageMaker" (a server that offers the
 * sagemaker backend too), and, in the sagemaker wizard it opens, what moved, where
 * the files went and which settings stayed behind.
 */
import { Button, fileUploadIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Health } from '../api/types';
import {
  ButtonIcon,
  ErrorMessage,
  Notice,
  Spinner,
  useTrans
} from '../common/components';
import { SAGEMAKER_BACKEND } from '../logic/backends';
import { AutopilotModel } from '../model';
import type { IExperimentForm } from './form';
import { formForSageMaker, ITransfer } from './transfer';
import type { ITransferState } from './useTransfer';

/** Whether the wizard on `health`'s backend can send its experiment to SageMaker. */
export function offersSageMaker(health: Health): boolean {
  return (
    !health.features.s3 &&
    (health.backends ?? []).some(b => b.name === SAGEMAKER_BACKEND)
  );
}

/**
 * The button (highlighted, with why, when the local preview found the file too
 * big for this machine): maps the form for SageMaker, then hands over.
 */
export function RunOnSageMaker(props: {
  model: AutopilotModel;
  health: Health;
  form: IExperimentForm;
  tooBig: boolean;
  disabled: boolean;
  onMove: (model: AutopilotModel, transfer: ITransfer) => void;
}): JSX.Element {
  const trans = useTrans();
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const info = (props.health.backends ?? []).find(
    b => b.name === SAGEMAKER_BACKEND
  );
  const move = async () => {
    setBusy(true);
    setError(null);
    try {
      const target = props.model.forBackend(SAGEMAKER_BACKEND);
      const health = await target.health();
      const transfer = formForSageMaker(
        props.form,
        {
          metricsByProblemType: health.defaults.metrics_by_problem_type ?? {},
          algorithmsByMode: health.defaults.algorithms_by_training_mode
        },
        trans
      );
      props.onMove(target, transfer);
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  };
  const button = (
    <Button
      className={props.tooBig ? 'jp-Autopilot-primary' : undefined}
      small={!props.tooBig}
      disabled={props.disabled || busy}
      aria-busy={busy}
      title={
        info && !info.usable && info.reason
          ? trans.__('SageMaker is not usable: %1', info.reason)
          : trans.__(
              'Upload the file to S3 and create this experiment on SageMaker instead, with the settings chosen here; the review shows the cost estimate before anything is spent.'
            )
      }
      onClick={() => void move()}
    >
      {busy ? <Spinner /> : <ButtonIcon icon={fileUploadIcon} />}
      {trans.__('Run on SageMaker')}
    </Button>
  );
  return (
    <div
      className="jp-AutopilotCreate-wayOut"
      role="region"
      aria-label={trans.__('Run on SageMaker')}
    >
      {props.tooBig ? (
        <Notice kind="warning">
          <p>
            {trans.__(
              'This file is too big for this machine. Run the experiment on SageMaker instead: the file is uploaded to S3, your settings are kept, and the review shows the cost estimate before anything is spent.'
            )}
          </p>
          {button}
        </Notice>
      ) : (
        <div className="jp-AutopilotCreate-wayOutLine">
          <span className="jp-Autopilot-muted">
            {trans.__('This server also offers SageMaker.')}
          </span>
          {button}
        </div>
      )}
      <ErrorMessage
        error={error}
        title={trans.__('Cannot switch to SageMaker.')}
      />
    </div>
  );
}

/** In the sagemaker wizard "Run on SageMaker" opened: the uploads and what stayed behind. */
export function TransferNotice(props: {
  transfer: ITransfer;
  uploads: ITransferState & { retry: () => void };
}): JSX.Element {
  const trans = useTrans();
  const { transfer, uploads } = props;
  return (
    <section
      className="jp-AutopilotCreate-transfer"
      aria-label={trans.__('Moved from the local backend')}
    >
      <Notice kind="info">
        <p>
          {trans.__(
            'Moved from the local backend with your settings. The files are uploaded to S3 (default bucket, key prefix sagemaker/autopilot/input); then check the review and its cost estimate.'
          )}
        </p>
        <ul className="jp-AutopilotCreate-uploads">
          {transfer.uploads.map(u => {
            const done = uploads.done.find(d => d.field === u.field);
            const running = uploads.current?.field === u.field;
            return (
              <li key={u.field} data-field={u.field}>
                {running && <Spinner />}
                {done
                  ? trans.__('Uploaded %1 to %2', u.path, done.uri)
                  : running
                    ? trans.__('Uploading %1 to S3…', u.path)
                    : trans.__('%1: not uploaded yet', u.path)}
              </li>
            );
          })}
        </ul>
        {uploads.done
          .flatMap(d => d.warnings)
          .map((w, i) => (
            <p key={i}>{w}</p>
          ))}
      </Notice>
      <ErrorMessage
        error={uploads.error}
        title={trans.__('Upload failed.')}
        onRetry={uploads.retry}
      />
      {transfer.leftBehind.length > 0 && (
        <Notice kind="warning">
          <p>
            <strong>{trans.__('Not carried over to SageMaker:')}</strong>
          </p>
          <ul aria-label={trans.__('Settings not carried over')}>
            {transfer.leftBehind.map(l => (
              <li key={l.field} data-field={l.field}>
                <strong>{l.setting}</strong>: {l.reason}
              </li>
            ))}
          </ul>
        </Notice>
      )}
    </section>
  );
}
