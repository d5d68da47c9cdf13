/**
 * The sidebars' backend is remembered across page loads (JupyterLab's state
 * database) while the server still offers it.
 */
import { ServerConnection } from '@jupyterlab/services';
import { StateDB } from '@jupyterlab/statedb';

import { AutopilotClient } from '../api/client';
import {
  rememberBackend,
  SELECTED_BACKEND_KEY
} from '../logic/rememberBackend';
import { AutopilotModel } from '../model';

/** A model on a server offering `backends` (the first is the default). */
function model(backends: string[]): AutopilotModel {
  const fetch = (async (input: RequestInfo) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    const body = {
      backend: url.searchParams.get('backend') ?? backends[0],
      features: {},
      defaults: { minimized_metrics: [] },
      backends: backends.map((name, i) => ({
        name,
        default: i === 0,
        usable: true,
        reason: null
      }))
    };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'Content-Type': 'application/json' }
    });
  }) as typeof window.fetch;
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    fetch
  });
  return new AutopilotModel({ client: new AutopilotClient(settings) });
}

describe('rememberBackend', () => {
  it('saves the choice and selects it again on the next load', async () => {
    const state = new StateDB();
    const first = model(['local', 'sagemaker']);
    await rememberBackend(first, state);
    expect(first.selected).toBe(first);
    first.selectBackend('sagemaker');
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(await state.fetch(SELECTED_BACKEND_KEY)).toBe('sagemaker');

    const next = model(['local', 'sagemaker']);
    await rememberBackend(next, state);
    expect(next.selected.backend).toBe('sagemaker');

    next.selectBackend(null); // back to the default
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(await state.fetch(SELECTED_BACKEND_KEY)).toBeNull();
  });

  it('keeps the default when the server no longer offers the saved backend', async () => {
    const state = new StateDB();
    await state.save(SELECTED_BACKEND_KEY, 'sagemaker');
    const only = model(['local']);
    await rememberBackend(only, state);
    expect(only.selected).toBe(only);
  });
});
