/** Command ids, shared by the palette, launcher, menus and panels. */
export namespace CommandIDs {
  export const openPanel = 'autopilot:open-panel';
  export const refresh = 'autopilot:refresh';
  export const createExperiment = 'autopilot:create-experiment';
  export const createFromFile = 'autopilot:create-from-file';
  export const tryTutorial = 'autopilot:try-tutorial';
  export const openExperiment = 'autopilot:open-experiment';
  export const openEndpoints = 'autopilot:open-endpoints';
  export const openEndpoint = 'autopilot:open-endpoint';
  export const openTrials = 'autopilot:open-trials';
  export const importSageMakerNotebook = 'autopilot:import-sagemaker-notebook';
}

/** The plugin id (also the settings id). */
export const PLUGIN_ID = 'jupyter-autopilot:plugin';
