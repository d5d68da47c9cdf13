/**
 * The sidebars' backend is remembered across page loads (JupyterLab's state
 * database) while the server still offers it.
 */
import { StateDB } from '@jupyterlab/statedb';

import {
  rememberBackend,
  SELECTED_BACKEND_KEY
} from '../logic/rememberBackend';
import type { AutopilotModel } from '../model';
import { modelOnServer } from './healthServer';

/** A model on a server offering `backends` (the first is the default). */
function model(backends: string[]): AutopilotModel {
  return modelOnServer(backends).root;
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
