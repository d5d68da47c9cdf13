/**
 * A forecasting form's series preview: once the forecast fields are valid, the server
 * checks the file as series for them (`POST datasets/preview` with target + forecast)
 * and answers the findings, the detected frequency and a few items' series. Asked a
 * moment after the last change; only the newest answer is kept.
 */
import * as React from 'react';

import type { ForecastSpec, SeriesPreview } from '../api/types';
import { useNewest } from '../common/hooks';
import { AutopilotModel } from '../model';

/** Wait this long after the last change before asking (typing a horizon). */
const DEBOUNCE_MS = 400;

/** What to preview, or null when the form is not ready for it. */
export interface ISeriesRequest {
  uri: string;
  delimiter: string;
  target: string;
  forecast: ForecastSpec;
}

export interface ISeriesPreviewState {
  series: SeriesPreview | null;
  error: unknown;
  loading: boolean;
  /** The request `series` or `error` answers (JSON), '' when none. */
  key: string;
}

/** The series preview of `request` (null: nothing to preview, the state is cleared). */
export function useSeriesPreview(
  model: AutopilotModel,
  request: ISeriesRequest | null
): ISeriesPreviewState {
  const [state, setState] = React.useState<ISeriesPreviewState>({
    series: null,
    error: null,
    loading: false,
    key: ''
  });
  const newest = useNewest();
  const key = request ? JSON.stringify(request) : '';
  React.useEffect(() => {
    if (!request) {
      newest.drop();
      setState({ series: null, error: null, loading: false, key: '' });
      return;
    }
    const isNewest = newest.start();
    setState(s => ({ ...s, loading: true }));
    const timer = window.setTimeout(() => {
      model.client
        .previewDataset({
          uri: request.uri,
          // The series checks read the whole file; the rows shown are not needed.
          rows: 1,
          delimiter: request.delimiter || null,
          target: request.target,
          forecast: request.forecast
        })
        .then(
          preview => {
            if (isNewest()) {
              setState({
                series: preview.series ?? null,
                error: null,
                loading: false,
                key
              });
            }
          },
          error => {
            if (isNewest()) {
              setState({ series: null, error, loading: false, key });
            }
          }
        );
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
    // `key` stands for `request` (a new object on every render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [model, key, newest]);
  return state;
}
