/**
 * The trials view's header (title, Export CSV, Refresh) and the result of the
 * last export.
 */
import { Button, closeIcon, downloadIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  ButtonIcon,
  ErrorMessage,
  RefreshButton,
  Spinner,
  useTrans
} from '../common/components';
import { IExportState } from './useCsvExport';

/** The view's title and toolbar. */
export function TrialsHeader(props: {
  onRefresh: () => void;
  onExport: () => void;
  exportDisabled: boolean;
  exporting: boolean;
}): JSX.Element {
  const trans = useTrans();
  return (
    <header className="jp-Autopilot-viewHeader">
      <h2>{trans.__('Experiments and trials')}</h2>
      <span className="jp-Autopilot-spacer" />
      <div
        className="jp-Autopilot-toolbar"
        role="toolbar"
        aria-label={trans.__('Trials actions')}
      >
        <Button
          onClick={props.onExport}
          disabled={props.exportDisabled}
          title={trans.__(
            'Save the listed trials as autopilot-trials.csv in the Jupyter root folder'
          )}
        >
          {props.exporting ? <Spinner /> : <ButtonIcon icon={downloadIcon} />}
          {trans.__('Export CSV')}
        </Button>
        <RefreshButton onClick={props.onRefresh} />
      </div>
    </header>
  );
}

/** The last export's outcome: where the file went (with a link), or why it failed. */
export function CsvExportResult(props: {
  exported: IExportState;
  onOpen: (path: string) => void;
  onDismiss: () => void;
}): JSX.Element {
  const trans = useTrans();
  return (
    <>
      {props.exported.error !== undefined && (
        <ErrorMessage
          error={props.exported.error}
          title={trans.__('Export failed.')}
          onDismiss={() => props.onDismiss()}
        />
      )}
      {props.exported.path && (
        <div
          className="jp-Autopilot-notice jp-mod-success jp-AutopilotTrials-exported"
          role="status"
        >
          <span>
            {trans._n(
              'Exported %1 trial to %2 (in the Jupyter root folder).',
              'Exported %1 trials to %2 (in the Jupyter root folder).',
              props.exported.count ?? 0,
              props.exported.path
            )}
          </span>
          <Button
            small
            onClick={() => props.onOpen(props.exported.path as string)}
          >
            {trans.__('Open %1', props.exported.path)}
          </Button>
          <Button
            small
            minimal
            aria-label={trans.__('Dismiss')}
            title={trans.__('Dismiss')}
            onClick={() => props.onDismiss()}
          >
            <closeIcon.react tag="span" />
          </Button>
        </div>
      )}
    </>
  );
}
