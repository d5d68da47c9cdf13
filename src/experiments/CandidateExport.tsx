/**
 * A candidate's export for SageMaker (model.tar.gz): running, done, or failed.
 */
import { Button, folderIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { ModelExport } from '../api/types';
import { ButtonIcon, KeyValues, Notice, useTrans } from '../common/components';
import { formatBytes, formatDateTime } from '../format';

/** One candidate's export for SageMaker: running, done, or failed. */
export interface IExportState {
  busy: boolean;
  result: ModelExport | null;
  error: unknown;
}

/**
 * The result of "Export for SageMaker": where the model.tar.gz is, what it holds,
 * and how to deploy it on SageMaker.
 */
export function ExportResult(props: {
  result: ModelExport;
  onReveal?: (path: string) => void;
  onDismiss?: () => void;
}): JSX.Element {
  const trans = useTrans();
  const r = props.result;
  const call = `ap.deploy_artifact("${r.path}", endpoint_name="${r.experiment}-sm")`;
  return (
    <div
      className="jp-AutopilotExport-result"
      role="group"
      aria-label={trans.__('Export for SageMaker')}
    >
      <Notice kind="success" role="status">
        {trans.__(
          'Candidate %1 is exported for SageMaker’s scikit-learn image.',
          r.candidate
        )}
      </Notice>
      <KeyValues
        label={trans.__('Exported model')}
        items={[
          [
            trans.__('File'),
            <span key="path" className="jp-AutopilotExport-path">
              <code data-testid="export-path">{r.path}</code>
              {props.onReveal && (
                <Button
                  small
                  minimal
                  onClick={() => props.onReveal?.(r.path)}
                  title={trans.__('Show the file in the file browser')}
                >
                  <ButtonIcon icon={folderIcon} />
                  {trans.__('Show in file browser')}
                </Button>
              )}
            </span>
          ],
          [trans.__('Size'), formatBytes(r.size_bytes)],
          [
            trans.__('Image'),
            trans.__(
              'SageMaker scikit-learn %1 (%2)',
              r.framework_version,
              r.format
            )
          ],
          [trans.__('Entry point'), <code key="entry">{r.entry_point}</code>],
          [
            trans.__('SHA-256'),
            <code key="sha" title={r.sha256}>
              {r.sha256.slice(0, 16)}…
            </code>
          ],
          [
            trans.__('Requirements'),
            r.requirements.length ? r.requirements.join(', ') : '–'
          ],
          [trans.__('Exported'), formatDateTime(r.exported_at)]
        ]}
      />
      <p className="jp-AutopilotExport-howto">
        {trans.__(
          'To serve it on SageMaker, deploy it from a JupyterLab running the sagemaker backend (Autopilot endpoints → Deploy exported model), or from a notebook with'
        )}{' '}
        <code>{call}</code>
        {'. '}
        {trans.__(
          'A file under the Jupyter root is uploaded to S3 for you; an s3:// URI of an uploaded copy works too.'
        )}
      </p>
      {props.onDismiss && (
        <div className="jp-Autopilot-inline">
          <Button small minimal onClick={props.onDismiss}>
            {trans.__('Dismiss')}
          </Button>
        </div>
      )}
    </div>
  );
}
