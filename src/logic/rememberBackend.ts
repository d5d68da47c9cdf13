/**
 * The backend the sidebars list, remembered across page loads in JupyterLab's state
 * database (per browser and workspace, like the sidebars' layout).
 */
import type { IStateDB } from '@jupyterlab/statedb';

import type { AutopilotModel } from '../model';

/** The state database key (the plugin's id, then what it holds). */
export const SELECTED_BACKEND_KEY = 'jupyter-autopilot:selected-backend';

/**
 * Select the backend chosen in an earlier session when the server still offers it
 * (else the default stays), and save every later choice. Resolves once restored.
 */
export async function rememberBackend(
  model: AutopilotModel,
  state: IStateDB
): Promise<void> {
  let saved: unknown = null;
  try {
    saved = await state.fetch(SELECTED_BACKEND_KEY);
  } catch {
    // Nothing saved, or the database is unavailable: keep the default.
  }
  if (typeof saved === 'string' && saved) {
    try {
      const health = await model.health();
      // A server started since with other backends: fall back to its default.
      if ((health.backends ?? []).some(b => b.name === saved)) {
        model.selectBackend(saved);
      }
    } catch {
      // The server is unreachable now; the panel says so, with the default selected.
    }
  }
  model.backendSelected.connect((_, name) => {
    void state.save(SELECTED_BACKEND_KEY, name).catch(reason => {
      console.warn('jupyter-autopilot: could not save the backend', reason);
    });
  });
}
