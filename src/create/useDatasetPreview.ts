/**
 * The wizard's dataset preview: the first rows, column types and missing values
 * of the chosen file, read by the server. Only the newest request's answer is
 * kept (a slow answer for an older location is dropped).
 */
import * as React from 'react';

import type { DatasetPreview } from '../api/types';
import { useLatest, useNewest } from '../common/hooks';
import { AutopilotModel } from '../model';

/** Rows the preview asks for. */
const PREVIEW_ROWS = 10;

/** What the preview shows. */
export interface IPreviewState {
  /** The last preview read (kept while a newer one loads). */
  preview: DatasetPreview | null;
  /** The location `preview` is of ('' when none). */
  uri: string;
  error: unknown;
  loading: boolean;
}

/**
 * The preview and a function reading `uri` (with `delimiter`, '' = detect);
 * `onLoaded` hears of each preview that is kept.
 */
export function useDatasetPreview(
  model: AutopilotModel,
  onLoaded: (preview: DatasetPreview, uri: string) => void
): IPreviewState & { run: (uri: string, delimiter: string) => void } {
  const [state, setState] = React.useState<IPreviewState>({
    preview: null,
    uri: '',
    error: null,
    loading: false
  });
  const newest = useNewest();
  const loaded = useLatest(onLoaded);

  const run = React.useCallback(
    (uri: string, delimiter: string) => {
      const target = uri.trim();
      if (!target) {
        return;
      }
      const isNewest = newest.start();
      setState(s => ({ ...s, loading: true, error: null }));
      model.client
        .previewDataset({
          uri: target,
          rows: PREVIEW_ROWS,
          delimiter: delimiter || null,
          target: null,
          forecast: null
        })
        .then(
          preview => {
            if (isNewest()) {
              setState({ preview, uri: target, error: null, loading: false });
              loaded.current(preview, target);
            }
          },
          error => {
            if (isNewest()) {
              setState({ preview: null, uri: '', error, loading: false });
            }
          }
        );
    },
    [model, loaded, newest]
  );
  return { ...state, run };
}
