import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import type { ExperimentSpec, ExperimentValidation } from '../../api/types';
import { identityTrans } from '../../logic/trans';
import { AutopilotModel } from '../../model';
import type { ICheckRequest } from '../checks';
import { IServerCheck, useServerCheck } from '../useServerCheck';

const dom = mountPoint();

/** A model whose checks resolve when the test says so. */
function deferredModel() {
  const pending: Array<{
    name: string;
    resolve: (v: ExperimentValidation) => void;
  }> = [];
  const client = {
    validateExperiment: (spec: ExperimentSpec) =>
      new Promise<ExperimentValidation>(resolve =>
        pending.push({ name: spec.name, resolve })
      )
  };
  const model = { client, notImplemented: () => false };
  return { model: model as unknown as AutopilotModel, pending };
}

const request = (name: string): ICheckRequest => ({
  spec: { name } as ExperimentSpec,
  key: name,
  nameChecked: true
});

const answer = (column: string): ExperimentValidation =>
  ({
    name_available: true,
    warnings: [{ column, kind: 'leakage', severity: 'warning', message: '' }]
  }) as unknown as ExperimentValidation;

/** Let the hook's (immediate, 0 ms) timer fire and its request start. */
const tick = () =>
  act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });

describe('useServerCheck', () => {
  it('shows only the newest request’s answer and asks again only for a new key', async () => {
    const { model, pending } = deferredModel();
    let check: IServerCheck | null = null;
    function Probe(props: { request: ICheckRequest }) {
      check = useServerCheck({
        model,
        request: props.request,
        active: true,
        immediate: true,
        trans: identityTrans as TranslationBundle
      });
      return null;
    }
    dom.render(<Probe request={request('a')} />);
    await tick();
    dom.render(<Probe request={request('b')} />);
    await tick();
    expect(pending.map(p => p.name)).toEqual(['a', 'b']);
    expect(check!.status).toBe('checking');

    // The newer answer comes first; the older one is cached but never shown.
    await act(async () => pending[1].resolve(answer('from-b')));
    await act(async () => pending[0].resolve(answer('from-a')));
    expect(check!.status).toBe('done');
    expect(check!.current?.key).toBe('b');
    expect(check!.warnings.map(w => w.column)).toEqual(['from-b']);

    // Back to `a`: its answer comes from the cache, without a request.
    dom.render(<Probe request={request('a')} />);
    await tick();
    expect(pending).toHaveLength(2);
    expect(check!.status).toBe('done');
    expect(check!.warnings.map(w => w.column)).toEqual(['from-a']);

    // A cached answer also outranks a request still on its way.
    dom.render(<Probe request={request('c')} />);
    await tick();
    dom.render(<Probe request={request('b')} />);
    await tick();
    await act(async () => pending[2].resolve(answer('from-c')));
    expect(pending).toHaveLength(3);
    expect(check!.current?.key).toBe('b');
    expect(check!.warnings.map(w => w.column)).toEqual(['from-b']);
  });
});
