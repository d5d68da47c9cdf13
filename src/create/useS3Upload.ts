/**
 * The wizard's "upload a file from this server to S3" (sagemaker backend): one
 * upload at a time, its error and the server's warnings kept until the next.
 */
import * as React from 'react';

import { AutopilotModel } from '../model';

/** The key prefix uploads go under unless the user chooses another. */
export const DEFAULT_KEY_PREFIX = 'sagemaker/autopilot/input';

/** Where the last upload stands. */
export interface IUploadState {
  uploading: boolean;
  error: unknown;
  warnings: string[];
}

/** The upload's state, and a function uploading `path` (resolves with its S3 URI, or null). */
export function useS3Upload(model: AutopilotModel): IUploadState & {
  upload: (path: string, keyPrefix: string) => Promise<string | null>;
} {
  const [state, setState] = React.useState<IUploadState>({
    uploading: false,
    error: null,
    warnings: []
  });
  const upload = React.useCallback(
    async (path: string, keyPrefix: string) => {
      setState({ uploading: true, error: null, warnings: [] });
      try {
        const result = await model.client.uploadDataset({
          path: path.trim(),
          key_prefix: keyPrefix.trim() || DEFAULT_KEY_PREFIX,
          bucket: null
        });
        setState({
          uploading: false,
          error: null,
          warnings: result.warnings ?? []
        });
        return result.uri;
      } catch (error) {
        setState({ uploading: false, error, warnings: [] });
        return null;
      }
    },
    [model]
  );
  return { ...state, upload };
}
