import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { AutopilotClient } from './api/client';
import { autopilotIcon } from './icons';
import { CommandIDs, PLUGIN_ID } from './tokens';
import { ExperimentsPanel } from './widgets/ExperimentsPanel';

/**
 * The Autopilot plugin: sidebar panel, commands, launcher card and settings.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'AutoML experiments (SageMaker Autopilot workflow) in JupyterLab.',
  autoStart: true,
  optional: [ICommandPalette, ILauncher, ILayoutRestorer, ISettingRegistry, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_autopilot');
    const client = new AutopilotClient(app.serviceManager.serverSettings);
    let pollInterval = 3000;
    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(PLUGIN_ID);
        pollInterval = (settings.get('pollInterval').composite as number) ?? 3000;
      } catch (reason) {
        console.warn('jupyter-autopilot: could not load settings', reason);
      }
    }

    const panel = new ExperimentsPanel({
      client,
      translator: translator ?? nullTranslator,
      pollInterval,
      onCreate: () => void app.commands.execute(CommandIDs.createExperiment),
      onOpen: name =>
        void app.commands.execute(CommandIDs.openExperiment, { name })
    });
    panel.title.icon = autopilotIcon;
    panel.title.caption = trans.__('Autopilot');
    app.shell.add(panel, 'left', { rank: 600 });
    restorer?.add(panel, 'jupyter-autopilot-sidebar');

    app.commands.addCommand(CommandIDs.openPanel, {
      label: trans.__('Open Autopilot'),
      caption: trans.__('Show the Autopilot experiments panel'),
      icon: autopilotIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh Autopilot Experiments'),
      execute: () => panel.refresh()
    });
    app.commands.addCommand(CommandIDs.createExperiment, {
      label: trans.__('Create Autopilot Experiment'),
      caption: trans.__('Start an AutoML experiment from a CSV file'),
      icon: autopilotIcon,
      execute: () => {
        app.shell.activateById(panel.id);
        void showErrorMessage(
          trans.__('Create experiment'),
          trans.__(
            'The create-experiment form is not built yet: use the REST API or the Python client (jupyter_autopilot.client) for now.'
          )
        );
      }
    });
    app.commands.addCommand(CommandIDs.openExperiment, {
      label: trans.__('Open Autopilot Experiment'),
      execute: () => app.shell.activateById(panel.id)
    });

    for (const command of [
      CommandIDs.openPanel,
      CommandIDs.createExperiment,
      CommandIDs.refresh
    ]) {
      palette?.addItem({ command, category: trans.__('Autopilot') });
    }
    launcher?.add({
      command: CommandIDs.createExperiment,
      category: trans.__('Other'),
      rank: 1
    });

    // Probe the server extension once, so a missing one is explained, not silent.
    client.health().catch(reason => {
      console.error('jupyter-autopilot: the server extension is not reachable', reason);
    });
  }
};

export default plugin;
