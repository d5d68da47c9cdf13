import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  InputDialog,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { FileDialog, IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { tableRowsIcon } from '@jupyterlab/ui-components';
import type { ReadonlyJSONObject } from '@lumino/coreutils';

import { AutopilotClient } from './api/client';
import type { ExperimentSpec, SampleDataset } from './api/types';
import { TRANSLATION_DOMAIN } from './common/components';
import { CreateExperimentWidget } from './create/CreateExperimentWidget';
import { copiedMessage, sampleStart, TUTORIAL_SAMPLE } from './create/samples';
import { EndpointsPanel } from './endpoints/EndpointsPanel';
import { EndpointView } from './endpoints/EndpointView';
import { ExperimentsPanel } from './experiments/ExperimentsPanel';
import { ExperimentView } from './experiments/ExperimentView';
import {
  CSV_FILE_TYPE,
  CSV_GZ_FILE_TYPE,
  registerFileTypes
} from './fileTypes';
import { autopilotIcon, endpointsIcon } from './icons';
import { importNotebookWithDialog } from './imports/ImportNotebook';
import { isNotebookPath } from './imports/imports';
import { backendName } from './logic/backends';
import { errorMessage } from './logic/errors';
import { rememberBackend } from './logic/rememberBackend';
import { timingFromSetting } from './logic/polling';
import { AutopilotModel, IAutopilotActions } from './model';
import { CommandIDs, PLUGIN_ID } from './tokens';
import { TrialsView } from './trials/TrialsView';

/** The file type of notebooks (the "Re-run SageMaker Candidates Locally" item's). */
const NOTEBOOK_FILE_TYPE = 'notebook';
/** The name SageMaker Autopilot gives its candidate-definition notebook. */
const CANDIDATE_NOTEBOOK =
  'SageMakerAutopilotCandidateDefinitionNotebook.ipynb';

/** Default active poll interval (ms): a stage change shows within ~1-2 s. */
const DEFAULT_POLL_INTERVAL = 1000;

/** A command's `describedBy`: a JSON schema of its optional string arguments. */
function commandArgs(args: Record<string, string> = {}): {
  args: ReadonlyJSONObject;
} {
  const properties: Record<string, ReadonlyJSONObject> = {};
  for (const [name, description] of Object.entries(args)) {
    properties[name] = { type: 'string', description };
  }
  return { args: { type: 'object', properties } };
}

/**
 * The Autopilot plugin: the experiments and endpoints sidebars, the create
 * wizard, experiment and endpoint views, commands, menus and settings.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'AutoML experiments (SageMaker Autopilot workflow) in JupyterLab.',
  autoStart: true,
  optional: [
    ICommandPalette,
    ILauncher,
    ILayoutRestorer,
    ISettingRegistry,
    ITranslator,
    IDocumentManager,
    IDefaultFileBrowser,
    IStateDB
  ],
  activate: async (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    docManager: IDocumentManager | null,
    fileBrowser: IDefaultFileBrowser | null,
    state: IStateDB | null
  ) => {
    translator = translator ?? nullTranslator;
    const trans = translator.load(TRANSLATION_DOMAIN);
    const client = new AutopilotClient(app.serviceManager.serverSettings);
    const model = new AutopilotModel({
      client,
      pollInterval: DEFAULT_POLL_INTERVAL
    });

    if (settingRegistry) {
      try {
        const settings = await settingRegistry.load(PLUGIN_ID);
        const apply = () => {
          model.timing = timingFromSetting(
            (settings.get('pollInterval').composite as number) ??
              DEFAULT_POLL_INTERVAL
          );
        };
        apply();
        settings.changed.connect(apply);
      } catch (reason) {
        console.warn('jupyter-autopilot: could not load settings', reason);
      }
    }

    registerFileTypes(app, trans);
    if (state) {
      // Not awaited: the sidebars follow the selection when the server answers.
      void rememberBackend(model, state);
    }

    // Main-area views, tracked for layout restoration.
    const experimentTracker = new WidgetTracker<MainAreaWidget<ExperimentView>>(
      {
        namespace: 'jupyter-autopilot-experiment'
      }
    );
    const endpointTracker = new WidgetTracker<MainAreaWidget<EndpointView>>({
      namespace: 'jupyter-autopilot-endpoint'
    });
    const trialsTracker = new WidgetTracker<MainAreaWidget<TrialsView>>({
      namespace: 'jupyter-autopilot-trials'
    });

    /** A command's `backend` argument ('' = the server's default). */
    const backendArg = (backend: string | null | undefined) =>
      (backend === undefined ? model.selected.backend : backend) ?? '';
    const actions: IAutopilotActions = {
      openExperiment: (name, backend) =>
        void app.commands.execute(CommandIDs.openExperiment, {
          name,
          backend: backendArg(backend)
        }),
      openEndpoint: (name, backend) =>
        void app.commands.execute(CommandIDs.openEndpoint, {
          name,
          backend: backendArg(backend)
        }),
      showEndpoints: () => void app.commands.execute(CommandIDs.openEndpoints),
      openTrials: () => void app.commands.execute(CommandIDs.openTrials),
      createExperiment: options => openCreateWizard(options ?? {}),
      tryTutorial: async () => {
        await app.commands.execute(CommandIDs.tryTutorial);
      },
      openPath: async path => {
        await app.commands.execute('docmanager:open', { path });
      },
      revealPath: async path => {
        await app.commands.execute('filebrowser:go-to-path', { path });
      },
      pickFile: async (title, extensions) => {
        if (docManager) {
          const result = await FileDialog.getOpenFiles({
            manager: docManager,
            title,
            translator: translator ?? undefined,
            filter: item =>
              item.type === 'directory' ||
              !extensions ||
              extensions.some(ext => item.name.toLowerCase().endsWith(ext))
                ? {}
                : null
          });
          const picked = result.button.accept ? result.value?.[0] : undefined;
          return picked && picked.type !== 'directory' ? picked.path : null;
        }
        const result = await InputDialog.getText({
          title,
          label: trans.__('Path under the Jupyter root')
        });
        return result.button.accept && result.value ? result.value : null;
      }
    };

    /**
     * The actions of a view of one backend's experiment or endpoint: what it opens
     * or creates is on that backend, whichever one the sidebars show.
     */
    const actionsFor = (backend: string | null): IAutopilotActions => ({
      ...actions,
      openExperiment: (name, other) =>
        actions.openExperiment(name, other === undefined ? backend : other),
      openEndpoint: (name, other) =>
        actions.openEndpoint(name, other === undefined ? backend : other),
      createExperiment: options =>
        actions.createExperiment({ backend, ...options })
    });

    const openCreateWizard = (options: {
      path?: string;
      target?: string;
      sample?: SampleDataset;
      spec?: ExperimentSpec;
      /** Left out: the backend the sidebars show. */
      backend?: string | null;
    }) => {
      const scoped =
        options.backend === undefined
          ? model.selected
          : model.forBackend(options.backend);
      const content = new CreateExperimentWidget({
        model: scoped,
        actions: actionsFor(scoped.backend),
        translator: translator ?? undefined,
        path: options.path,
        target: options.target,
        sample: options.sample,
        spec: options.spec,
        onDone: () => widget.dispose()
      });
      const widget = new MainAreaWidget({ content });
      widget.id = `jp-autopilot-create-${Date.now()}`;
      widget.title.label = options.path
        ? trans.__('New experiment: %1', PathExt.basename(options.path))
        : trans.__('New Autopilot experiment');
      widget.title.icon = autopilotIcon;
      widget.title.closable = true;
      app.shell.add(widget, 'main');
      app.shell.activateById(widget.id);
    };

    // Sidebars.
    const experimentsPanel = new ExperimentsPanel({
      model,
      actions,
      translator
    });
    experimentsPanel.title.icon = autopilotIcon;
    experimentsPanel.title.caption = trans.__('Autopilot experiments');
    app.shell.add(experimentsPanel, 'left', { rank: 600 });
    restorer?.add(experimentsPanel, 'jupyter-autopilot-sidebar');

    const endpointsPanel = new EndpointsPanel({ model, actions, translator });
    endpointsPanel.title.icon = endpointsIcon;
    endpointsPanel.title.caption = trans.__('Autopilot endpoints');
    app.shell.add(endpointsPanel, 'left', { rank: 601 });
    restorer?.add(endpointsPanel, 'jupyter-autopilot-endpoints');

    // Commands.
    app.commands.addCommand(CommandIDs.openPanel, {
      describedBy: commandArgs(),
      label: trans.__('Open Autopilot'),
      caption: trans.__('Show the Autopilot experiments panel'),
      icon: autopilotIcon,
      execute: () => app.shell.activateById(experimentsPanel.id)
    });
    app.commands.addCommand(CommandIDs.openEndpoints, {
      describedBy: commandArgs(),
      label: trans.__('Open Autopilot Endpoints'),
      caption: trans.__('Show the deployed models'),
      icon: endpointsIcon,
      execute: () => app.shell.activateById(endpointsPanel.id)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      describedBy: commandArgs(),
      label: trans.__('Refresh Autopilot Experiments'),
      execute: () =>
        Promise.all([experimentsPanel.refresh(), endpointsPanel.refresh()])
    });
    app.commands.addCommand(CommandIDs.createExperiment, {
      describedBy: commandArgs({
        path: 'A CSV file under the Jupyter root to start from.'
      }),
      label: trans.__('Create Autopilot Experiment'),
      caption: trans.__('Start an AutoML experiment from a CSV file'),
      icon: autopilotIcon,
      execute: args =>
        openCreateWizard({
          path: (args.path as string | undefined) ?? undefined
        })
    });
    let copyingSample = false;
    app.commands.addCommand(CommandIDs.tryTutorial, {
      describedBy: commandArgs(),
      label: trans.__('Try the tutorial (bank marketing)'),
      caption: trans.__(
        'Copy the tutorial’s bank-marketing data under the Jupyter root and start an experiment on it'
      ),
      icon: autopilotIcon,
      isEnabled: () => !copyingSample,
      execute: async () => {
        copyingSample = true;
        app.commands.notifyCommandChanged(CommandIDs.tryTutorial);
        try {
          const copy = await model.client.copySample(TUTORIAL_SAMPLE);
          Notification.info(copiedMessage(copy, trans), { autoClose: 5000 });
          openCreateWizard(sampleStart(copy));
        } catch (reason) {
          Notification.error(
            trans.__(
              'Could not copy the tutorial data: %1',
              errorMessage(reason, trans)
            ),
            { autoClose: false }
          );
        } finally {
          copyingSample = false;
          app.commands.notifyCommandChanged(CommandIDs.tryTutorial);
        }
      }
    });
    app.commands.addCommand(CommandIDs.createFromFile, {
      describedBy: commandArgs({
        path: 'The file to start from (default: the file browser selection).'
      }),
      label: trans.__('Create Autopilot Experiment'),
      caption: trans.__('Start an AutoML experiment on this file'),
      icon: autopilotIcon,
      execute: args => {
        let path = args.path as string | undefined;
        if (!path && fileBrowser) {
          const item = fileBrowser.selectedItems().next();
          path = item && !item.done ? item.value.path : undefined;
        }
        openCreateWizard({ path });
      }
    });
    app.commands.addCommand(CommandIDs.importSageMakerNotebook, {
      describedBy: commandArgs({
        path: 'The candidate-definition notebook (default: the selected one, else asked).'
      }),
      label: trans.__('Re-run SageMaker Candidates Locally…'),
      caption: trans.__(
        'Run the candidates of a SageMaker Autopilot candidate-definition notebook as an experiment on this server'
      ),
      icon: autopilotIcon,
      execute: async args => {
        let path = (args.path as string | undefined) ?? undefined;
        if (!path && fileBrowser) {
          // The right-clicked notebook (or, from the palette, a selected one).
          for (const item of fileBrowser.selectedItems()) {
            if (item.type === 'notebook' || isNotebookPath(item.path)) {
              path = item.path;
              break;
            }
          }
        }
        if (!path) {
          const result = await InputDialog.getText({
            title: trans.__('Re-run SageMaker Candidates Locally'),
            label: trans.__(
              'Path of the candidate-definition notebook under the Jupyter root'
            ),
            placeholder: CANDIDATE_NOTEBOOK,
            okLabel: trans.__('Open')
          });
          path = result.button.accept ? result.value?.trim() : undefined;
          if (!path) {
            return null;
          }
        }
        return importNotebookWithDialog({
          model,
          trans,
          path,
          onOpenExperiment: name =>
            void app.commands.execute(CommandIDs.openExperiment, { name })
        });
      }
    });
    app.commands.addCommand(CommandIDs.openExperiment, {
      describedBy: commandArgs({
        name: 'The experiment to open (none: show the experiments panel).',
        backend:
          'The backend it is on, on a server that offers more than one (none: the default).'
      }),
      label: args =>
        args.name
          ? trans.__('Open Autopilot Experiment %1', args.name as string)
          : trans.__('Open Autopilot Experiment'),
      execute: args => {
        const name = args.name as string | undefined;
        if (!name) {
          app.shell.activateById(experimentsPanel.id);
          return;
        }
        const scoped = model.forBackend((args.backend as string) || null);
        const existing = experimentTracker.find(
          w => w.content.name === name && w.content.model === scoped
        );
        if (existing) {
          app.shell.activateById(existing.id);
          return existing;
        }
        const content = new ExperimentView({
          name,
          model: scoped,
          actions: actionsFor(scoped.backend),
          translator: translator ?? undefined
        });
        const widget = new MainAreaWidget({ content });
        widget.id = `jp-autopilot-experiment-${viewKey(name, scoped.backend)}`;
        widget.title.label = name;
        widget.title.caption = scoped.backend
          ? trans.__(
              'Autopilot experiment %1 (%2)',
              name,
              backendName(scoped.backend, trans)
            )
          : trans.__('Autopilot experiment %1', name);
        widget.title.icon = autopilotIcon;
        widget.title.closable = true;
        void experimentTracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      }
    });
    app.commands.addCommand(CommandIDs.openEndpoint, {
      describedBy: commandArgs({
        name: 'The endpoint to open (none: show the endpoints panel).',
        backend:
          'The backend it is on, on a server that offers more than one (none: the default).'
      }),
      label: args =>
        args.name
          ? trans.__('Open Endpoint %1', args.name as string)
          : trans.__('Open Endpoint'),
      execute: args => {
        const name = args.name as string | undefined;
        if (!name) {
          app.shell.activateById(endpointsPanel.id);
          return;
        }
        const scoped = model.forBackend((args.backend as string) || null);
        const existing = endpointTracker.find(
          w => w.content.name === name && w.content.model === scoped
        );
        if (existing) {
          app.shell.activateById(existing.id);
          return existing;
        }
        const content = new EndpointView({
          name,
          model: scoped,
          actions: actionsFor(scoped.backend),
          translator: translator ?? undefined
        });
        const widget = new MainAreaWidget({ content });
        widget.id = `jp-autopilot-endpoint-${viewKey(name, scoped.backend)}`;
        widget.title.label = name;
        widget.title.caption = scoped.backend
          ? trans.__(
              'Autopilot endpoint %1 (%2)',
              name,
              backendName(scoped.backend, trans)
            )
          : trans.__('Autopilot endpoint %1', name);
        widget.title.icon = endpointsIcon;
        widget.title.closable = true;
        void endpointTracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      }
    });

    app.commands.addCommand(CommandIDs.openTrials, {
      describedBy: commandArgs({
        backend:
          'The backend whose trials to show, on a server that offers more than one (none: the one the Autopilot panel shows).'
      }),
      label: trans.__('Open Experiments and Trials'),
      caption: trans.__(
        'Every trial of every Autopilot experiment: sort, filter, compare, chart, export'
      ),
      icon: tableRowsIcon,
      execute: args => {
        const scoped =
          args.backend === undefined
            ? model.selected
            : model.forBackend((args.backend as string) || null);
        const existing = trialsTracker.find(w => w.content.model === scoped);
        if (existing) {
          app.shell.activateById(existing.id);
          return existing;
        }
        const content = new TrialsView({
          model: scoped,
          actions: actionsFor(scoped.backend),
          contents: app.serviceManager.contents,
          translator: translator ?? undefined
        });
        const widget = new MainAreaWidget({ content });
        widget.id = scoped.backend
          ? `jp-autopilot-trials-${scoped.backend}`
          : 'jp-autopilot-trials';
        widget.title.label = scoped.backend
          ? trans.__(
              'Experiments and trials (%1)',
              backendName(scoped.backend, trans)
            )
          : trans.__('Experiments and trials');
        widget.title.caption = trans.__('Autopilot experiments and trials');
        widget.title.icon = tableRowsIcon;
        widget.title.closable = true;
        void trialsTracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        return widget;
      }
    });

    if (restorer) {
      void restorer.restore(trialsTracker, {
        command: CommandIDs.openTrials,
        args: w => ({ backend: w.content.model.backend ?? '' }),
        name: w => viewKey('trials', w.content.model.backend)
      });
      void restorer.restore(experimentTracker, {
        command: CommandIDs.openExperiment,
        args: w => ({
          name: w.content.name,
          backend: w.content.model.backend ?? ''
        }),
        name: w => viewKey(w.content.name, w.content.model.backend)
      });
      void restorer.restore(endpointTracker, {
        command: CommandIDs.openEndpoint,
        args: w => ({
          name: w.content.name,
          backend: w.content.model.backend ?? ''
        }),
        name: w => viewKey(w.content.name, w.content.model.backend)
      });
    }

    // Menus, palette and launcher.
    for (const fileType of [CSV_FILE_TYPE, CSV_GZ_FILE_TYPE]) {
      app.contextMenu.addItem({
        command: CommandIDs.createFromFile,
        selector: `.jp-DirListing-item[data-file-type="${fileType}"]`,
        rank: 3
      });
    }
    app.contextMenu.addItem({
      command: CommandIDs.importSageMakerNotebook,
      selector: `.jp-DirListing-item[data-file-type="${NOTEBOOK_FILE_TYPE}"]`,
      rank: 3
    });
    for (const command of [
      CommandIDs.openPanel,
      CommandIDs.openEndpoints,
      CommandIDs.openTrials,
      CommandIDs.createExperiment,
      CommandIDs.tryTutorial,
      CommandIDs.importSageMakerNotebook,
      CommandIDs.refresh
    ]) {
      palette?.addItem({ command, category: trans.__('Autopilot') });
    }
    // A launcher section of our own: start from a file, or from the tutorial's data.
    const launcherCategory = trans.__('Autopilot');
    launcher?.add({
      command: CommandIDs.createExperiment,
      category: launcherCategory,
      rank: 1
    });
    launcher?.add({
      command: CommandIDs.tryTutorial,
      category: launcherCategory,
      rank: 2
    });

    // Probe the server extension once, so a missing one is explained, not silent.
    model.health().catch(reason => {
      console.error(
        'jupyter-autopilot: the server extension is not reachable',
        reason
      );
      Notification.error(
        trans.__('Autopilot: %1', errorMessage(reason, trans)),
        { autoClose: false }
      );
    });
  }
};

/**
 * A view's key among those of its kind: the name, and the backend unless it is the
 * default one (so single-backend servers keep their ids and restored layouts).
 */
function viewKey(name: string, backend: string | null): string {
  return backend ? `${backend}:${name}` : name;
}

export default plugin;
