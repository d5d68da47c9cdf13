/**
 * The trials view's "Export CSV": writes the listed trials to a free name in the
 * Jupyter root folder through the server's contents API.
 */
import type { Contents } from '@jupyterlab/services';
import * as React from 'react';

import type { Trial } from '../api/types';
import { trialsToCsv, uniqueFileName } from './csvExport';

/** The state of the last CSV export. */
export interface IExportState {
  busy: boolean;
  path?: string;
  count?: number;
  error?: unknown;
}

/** The last export's state, a function exporting rows, and one forgetting the result. */
export function useCsvExport(contents: Contents.IManager): {
  exported: IExportState;
  exportCsv: (rows: readonly Trial[]) => Promise<void>;
  dismiss: () => void;
} {
  const [exported, setExported] = React.useState<IExportState>({
    busy: false
  });
  const exportCsv = React.useCallback(
    async (rows: readonly Trial[]) => {
      setExported({ busy: true });
      try {
        const text = trialsToCsv(rows);
        const root = await contents.get('', { content: true });
        const taken = ((root.content ?? []) as Contents.IModel[]).map(
          item => item.name
        );
        const path = uniqueFileName(taken);
        await contents.save(path, {
          type: 'file',
          format: 'text',
          content: text
        });
        setExported({ busy: false, path, count: rows.length });
      } catch (error) {
        setExported({ busy: false, error });
      }
    },
    [contents]
  );
  const dismiss = React.useCallback(() => setExported({ busy: false }), []);
  return { exported, exportCsv, dismiss };
}
