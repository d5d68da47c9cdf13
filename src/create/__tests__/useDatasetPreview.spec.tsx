import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import type { DatasetPreview } from '../../api/types';
import { AutopilotModel } from '../../model';
import { IPreviewState, useDatasetPreview } from '../useDatasetPreview';

const dom = mountPoint();

/** A model whose previews resolve when the test says so. */
function deferredModel() {
  const pending: Array<{
    uri: string;
    resolve: (p: DatasetPreview) => void;
    reject: (e: unknown) => void;
  }> = [];
  const client = {
    previewDataset: (request: { uri: string }) =>
      new Promise<DatasetPreview>((resolve, reject) =>
        pending.push({ uri: request.uri, resolve, reject })
      )
  };
  return { model: { client } as unknown as AutopilotModel, pending };
}

const preview = (uri: string) =>
  ({ uri, columns: [], rows: [], delimiter: ',' }) as unknown as DatasetPreview;

describe('useDatasetPreview', () => {
  it('keeps only the newest request’s answer, and reports what it kept', async () => {
    const { model, pending } = deferredModel();
    const loaded: string[] = [];
    let state:
      (IPreviewState & { run: (u: string, d: string) => void }) | null = null;
    function Probe() {
      state = useDatasetPreview(model, (_, uri) => loaded.push(uri));
      return null;
    }
    dom.render(<Probe />);
    act(() => state!.run(' old.csv ', ''));
    act(() => state!.run('new.csv', ';'));
    expect(state!.loading).toBe(true);
    expect(pending.map(p => p.uri)).toEqual(['old.csv', 'new.csv']);

    // The newer answer arrives first; the older one must not replace it.
    await act(async () => pending[1].resolve(preview('new.csv')));
    await act(async () => pending[0].resolve(preview('old.csv')));
    expect(state!.uri).toBe('new.csv');
    expect(state!.preview?.uri).toBe('new.csv');
    expect(state!.loading).toBe(false);
    expect(loaded).toEqual(['new.csv']);

    // A failure clears the preview and says why; a blank location asks nothing.
    act(() => state!.run('bad.csv', ''));
    await act(async () => pending[2].reject(new Error('no such file')));
    expect(state!.preview).toBeNull();
    expect((state!.error as Error).message).toBe('no such file');
    act(() => state!.run('   ', ''));
    expect(pending).toHaveLength(3);
  });
});
