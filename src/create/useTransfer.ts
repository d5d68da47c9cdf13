/**
 * "Run on SageMaker", in the sagemaker wizard it opened: upload the local files to
 * S3 (the upload API, default key prefix), one after the other, and say where each
 * one went; a failure stops there with its error and a retry.
 */
import * as React from 'react';

import { AutopilotModel } from '../model';
import type { ITransfer, IUpload } from './transfer';
import { DEFAULT_KEY_PREFIX } from './useS3Upload';

/** One upload's outcome. */
export interface IUploaded extends IUpload {
  uri: string;
  warnings: string[];
}

/** Where the uploads stand. */
export interface ITransferState {
  /** The upload running now (null when none). */
  current: IUpload | null;
  done: IUploaded[];
  error: unknown;
  /** Every file is on S3. */
  finished: boolean;
}

/**
 * Runs `transfer`'s uploads once `ready` (the backend's health is known), calling
 * `onUploaded` with each file's S3 URI; `retry` starts again from the one that failed.
 */
export function useTransfer(
  model: AutopilotModel,
  transfer: ITransfer | undefined,
  ready: boolean,
  onUploaded: (upload: IUploaded) => void
): ITransferState & { retry: () => void } {
  const [state, setState] = React.useState<ITransferState>({
    current: null,
    done: [],
    error: null,
    finished: !transfer?.uploads.length
  });
  const [attempt, setAttempt] = React.useState(0);
  const callback = React.useRef(onUploaded);
  callback.current = onUploaded;
  const doneRef = React.useRef<IUploaded[]>([]);

  React.useEffect(() => {
    if (!transfer || !ready) {
      return;
    }
    let cancelled = false;
    const run = async () => {
      for (const upload of transfer.uploads.slice(doneRef.current.length)) {
        setState(s => ({ ...s, current: upload, error: null }));
        try {
          const answer = await model.client.uploadDataset({
            path: upload.path,
            key_prefix: DEFAULT_KEY_PREFIX,
            bucket: null
          });
          if (cancelled) {
            return;
          }
          const uploaded: IUploaded = {
            ...upload,
            uri: answer.uri,
            warnings: answer.warnings ?? []
          };
          doneRef.current = [...doneRef.current, uploaded];
          setState(s => ({ ...s, done: doneRef.current }));
          callback.current(uploaded);
        } catch (error) {
          if (!cancelled) {
            setState(s => ({ ...s, current: null, error }));
          }
          return;
        }
      }
      if (!cancelled) {
        setState(s => ({ ...s, current: null, finished: true }));
      }
    };
    void run();
    return () => {
      cancelled = true;
    };
  }, [model, transfer, ready, attempt]);

  const retry = React.useCallback(() => setAttempt(a => a + 1), []);
  return { ...state, retry };
}
