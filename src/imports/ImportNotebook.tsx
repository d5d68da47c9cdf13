/**
 * "Re-run SageMaker Candidates Locally": a dialog that reads a SageMaker Autopilot
 * candidate-definition notebook (POST imports/sagemaker-notebook), shows its job,
 * objective and candidates with what runs differently here, asks for the training
 * data, a name and a budget, and creates an experiment whose `candidate_plan` runs
 * exactly the selected candidates. Errors stay in the dialog, next to the fields.
 */
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { SageMakerNotebookImport } from '../api/types';
import { ErrorMessage, Loading, TransContext } from '../common/components';
import { AutopilotModel } from '../model';
import { ImportForm } from './ImportForm';
import { defaultImportForm, IImportForm, importSpec } from './imports';

/**
 * A dialog whose accept button runs `onAccept` first and closes only when it
 * succeeds: a failed request leaves the dialog open with its error shown.
 */
class SubmitDialog<T> extends Dialog<T> {
  constructor(
    options: Partial<Dialog.IOptions<T>> & {
      onAccept: () => Promise<boolean>;
    }
  ) {
    super(options);
    this._buttonList = options.buttons ?? [];
    this._defaultIndex = options.defaultButton ?? this._buttonList.length - 1;
    this._onAccept = options.onAccept;
  }

  resolve(index?: number): void {
    const button = this._buttonList[index ?? this._defaultIndex];
    if (!button?.accept) {
      super.resolve(index);
      return;
    }
    if (this._pending || !this.acceptEnabled) {
      return;
    }
    this._pending = true;
    this.setBusy(true);
    this._onAccept()
      .then(
        ok => ok,
        () => false
      )
      .then(ok => {
        this._pending = false;
        this.setBusy(false);
        if (ok) {
          super.resolve(index);
        }
      });
  }

  /** Whether the accept button can be used (false while nothing can be sent). */
  get acceptEnabled(): boolean {
    return this._acceptEnabled;
  }
  set acceptEnabled(value: boolean) {
    this._acceptEnabled = value;
    this.setBusy(this._pending);
  }

  private setBusy(busy: boolean): void {
    const nodes = this.node.querySelectorAll<HTMLButtonElement>(
      '.jp-Dialog-footer .jp-mod-accept'
    );
    nodes.forEach(node => {
      node.disabled = busy || !this._acceptEnabled;
      node.setAttribute('aria-busy', busy ? 'true' : 'false');
    });
  }

  private _buttonList: ReadonlyArray<Dialog.IButton>;
  private _defaultIndex: number;
  private _onAccept: () => Promise<boolean>;
  private _pending = false;
  private _acceptEnabled = true;
}

/** Where the import stands: reading the notebook, failed, or ready to fill in. */
type LoadState = 'loading' | 'error' | 'ready';

/**
 * The dialog's body: reads the notebook, then holds the form (reported by the
 * React view at each change) and the last server error, and creates the experiment.
 */
class ImportNotebookBody extends ReactWidget {
  constructor(
    private options: {
      model: AutopilotModel;
      trans: TranslationBundle;
      path: string;
    }
  ) {
    super();
    this.addClass('jp-AutopilotDialog');
    this.addClass('jp-AutopilotImport');
  }

  /** The name of the experiment created (null until one is). */
  get created(): string | null {
    return this._created;
  }

  /** Called with whether the form can be sent, each time that changes. */
  onStateChange: ((ready: boolean) => void) | null = null;

  /** Read the notebook (and the taken experiment names, for the default name). */
  async load(): Promise<void> {
    const { client } = this.options.model;
    this.setState('loading');
    try {
      const [imported, taken] = await Promise.all([
        client.importSageMakerNotebook(this.options.path),
        client.listExperiments({ limit: 1000 }).then(
          list => list.experiments.map(e => e.name),
          () => [] as string[]
        )
      ]);
      this._imported = imported;
      this._taken = taken;
      this._form = defaultImportForm(imported, taken);
      this.setState('ready');
    } catch (error) {
      this._loadError = error;
      this.setState('error');
    }
  }

  /**
   * Create the experiment from the form; false (with the problems shown) when the
   * form is incomplete or the server refused it.
   */
  async submit(): Promise<boolean> {
    const imported = this._imported;
    const form = this._form;
    if (this._state !== 'ready' || !imported || !form) {
      return false;
    }
    const { trans, model } = this.options;
    this._attempted = true;
    const { spec } = importSpec(imported, form, trans, this._taken);
    if (!spec) {
      this.update();
      return false;
    }
    this._submitting = true;
    this._serverError = null;
    this.update();
    try {
      const experiment = await model.client.createExperiment(spec);
      this._created = experiment.name;
      model.experimentsChanged.emit(experiment.name);
      return true;
    } catch (error) {
      this._serverError = error;
      return false;
    } finally {
      this._submitting = false;
      this.update();
    }
  }

  protected render(): JSX.Element {
    const { trans, path } = this.options;
    let content: JSX.Element;
    if (this._state === 'loading') {
      content = <Loading label={trans.__('Reading %1…', path)} />;
    } else if (this._state === 'error' || !this._imported || !this._form) {
      content = (
        <ErrorMessage
          error={this._loadError}
          title={trans.__('Cannot re-run this notebook locally.')}
          onRetry={() => void this.load()}
        />
      );
    } else {
      content = (
        <ImportForm
          imported={this._imported}
          initial={this._form}
          taken={this._taken}
          attempted={this._attempted}
          submitting={this._submitting}
          serverError={this._serverError}
          onChange={form => {
            this._form = form;
          }}
        />
      );
    }
    return (
      <TransContext.Provider value={trans}>
        <div className="jp-AutopilotDialog-body" aria-busy={this._submitting}>
          {content}
        </div>
      </TransContext.Provider>
    );
  }

  private setState(state: LoadState): void {
    this._state = state;
    this.update();
    this.onStateChange?.(state === 'ready');
  }

  private _state: LoadState = 'loading';
  private _imported: SageMakerNotebookImport | null = null;
  private _loadError: unknown = null;
  private _taken: string[] = [];
  private _form: IImportForm | null = null;
  private _attempted = false;
  private _submitting = false;
  private _serverError: unknown = null;
  private _created: string | null = null;
}

/**
 * Read the notebook at `path`, let the user choose candidates, data, name and
 * budget, create the experiment and open it. Resolves with the experiment's name,
 * or null when cancelled (or the notebook could not be read).
 */
export async function importNotebookWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  path: string;
  onOpenExperiment: (name: string) => void;
}): Promise<string | null> {
  const { trans } = options;
  const body = new ImportNotebookBody(options);
  const dialog = new SubmitDialog<unknown>({
    title: trans.__('Re-run SageMaker candidates locally'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Create experiment') })
    ],
    onAccept: () => body.submit()
  });
  dialog.addClass('jp-AutopilotImportDialog');
  dialog.acceptEnabled = false;
  body.onStateChange = ready => {
    dialog.acceptEnabled = ready;
  };
  void body.load();
  void dialog.ready.then(() => {
    // Until the notebook is read there is no field: Escape and Tab start at Cancel.
    if (!dialog.node.contains(document.activeElement)) {
      dialog.node
        .querySelector<HTMLButtonElement>('.jp-Dialog-footer .jp-mod-reject')
        ?.focus();
    }
  });
  // Launched unconditionally: the dialog disposes itself once it resolves.
  const launched = dialog.launch();
  try {
    await launched;
  } finally {
    dialog.dispose();
  }
  const created = body.created;
  if (created) {
    options.onOpenExperiment(created);
  }
  return created;
}
