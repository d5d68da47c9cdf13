import { Dialog } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { experiment, notebookImport } from '../../__tests__/fixtures';
import { errorFromResponse } from '../../api/request';
import type { ExperimentSpec } from '../../api/types';
import { TRANSLATION_DOMAIN } from '../../common/components';
import { AutopilotModel } from '../../model';
import { importNotebookWithDialog } from '../ImportNotebook';

const trans = nullTranslator.load(TRANSLATION_DOMAIN);

/** A model whose client answers the import, the experiments list and create. */
function fakeModel(client: {
  importSageMakerNotebook?: jest.Mock;
  createExperiment?: jest.Mock;
}) {
  const emit = jest.fn();
  const model = {
    client: {
      importSageMakerNotebook:
        client.importSageMakerNotebook ??
        jest.fn(async () => {
          const data = notebookImport();
          data.candidates[1].notes = [
            'RobustPCA is not reproduced: the local pipeline keeps every feature.'
          ];
          return data;
        }),
      listExperiments: jest.fn(async () => ({
        experiments: [{ name: 'bank-autopilot-local' }],
        total: 1
      })),
      createExperiment:
        client.createExperiment ??
        jest.fn(async (spec: ExperimentSpec) => experiment({ name: spec.name }))
    },
    experimentsChanged: { emit }
  };
  return { model: model as unknown as AutopilotModel, emit };
}

/** Poll until `check` passes (the dialog renders asynchronously). */
async function waitFor(check: () => void, timeout = 3000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}

function dialogNode(): HTMLElement {
  const node = document.querySelector<HTMLElement>('.jp-Dialog');
  if (!node) {
    throw new Error('no dialog');
  }
  return node;
}

function button(label: string): HTMLButtonElement {
  const found = Array.from(
    dialogNode().querySelectorAll<HTMLButtonElement>('.jp-Dialog-button')
  ).find(b => b.textContent?.trim() === label);
  if (!found) {
    throw new Error(`no button ${label}`);
  }
  return found;
}

/** Type into a React-controlled input. */
function type(selector: string, value: string): void {
  const input = dialogNode().querySelector<HTMLInputElement>(selector)!;
  const setter = Object.getOwnPropertyDescriptor(
    HTMLInputElement.prototype,
    'value'
  )!.set!;
  setter.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function text(): string {
  return dialogNode().textContent ?? '';
}

afterEach(() => {
  Dialog.flush();
  document.body.innerHTML = '';
});

describe('importNotebookWithDialog', () => {
  it('shows the notebook, creates the experiment and opens it', async () => {
    const { model, emit } = fakeModel({});
    const opened = jest.fn();
    const done = importNotebookWithDialog({
      model,
      trans,
      path: 'job/SageMakerAutopilotCandidateDefinitionNotebook.ipynb',
      onOpenExperiment: opened
    });
    await waitFor(() => expect(text()).toContain('bank-autopilot'));
    expect(
      (model.client.importSageMakerNotebook as jest.Mock).mock.calls[0][0]
    ).toBe('job/SageMakerAutopilotCandidateDefinitionNotebook.ipynb');
    await waitFor(() =>
      expect(dialogNode().querySelectorAll('tbody tr')).toHaveLength(4)
    );
    expect(text()).toContain('F1 (SageMaker metric: F1)');
    expect(text()).toContain('Binary classification');
    expect(text()).toContain('linear-learner → linear');
    expect(text()).toContain('knn → not available locally');
    expect(text()).toContain('RobustPCA is not reproduced');
    const boxes = Array.from(
      dialogNode().querySelectorAll<HTMLInputElement>(
        'tbody input[type="checkbox"]'
      )
    );
    expect(boxes.map(b => [b.checked, b.disabled])).toEqual([
      [true, false],
      [true, false],
      [true, false],
      [false, true]
    ]);
    // The default name avoids the taken one.
    expect(
      dialogNode().querySelector<HTMLInputElement>('#jp-autopilot-import-name')
        ?.value
    ).toBe('bank-autopilot-local-2');
    expect(button('Create experiment').disabled).toBe(false);

    // Without a data file nothing is sent and the dialog stays open.
    button('Create experiment').click();
    await waitFor(() =>
      expect(text()).toContain(
        'Enter the path of the training data: a CSV file under the Jupyter root.'
      )
    );
    expect(model.client.createExperiment).not.toHaveBeenCalled();

    type('#jp-autopilot-import-data', 'bank.csv');
    type('#jp-autopilot-import-runtime', '60');
    boxes[1].click();
    button('Create experiment').click();
    await expect(done).resolves.toBe('bank-autopilot-local-2');
    const spec = (model.client.createExperiment as jest.Mock).mock
      .calls[0][0] as ExperimentSpec;
    expect(spec).toMatchObject({
      name: 'bank-autopilot-local-2',
      input_uri: 'bank.csv',
      target: 'y',
      objective_metric: 'F1',
      max_job_runtime_seconds: 60
    });
    expect(spec.candidate_plan?.candidates.map(c => c.name)).toEqual([
      'dpp0-xgboost',
      'dpp2-linear-learner'
    ]);
    expect(emit).toHaveBeenCalledWith('bank-autopilot-local-2');
    expect(opened).toHaveBeenCalledWith('bank-autopilot-local-2');
    expect(document.querySelector('.jp-Dialog')).toBeNull();
  });

  it('keeps the dialog open with the server’s error', async () => {
    const refuse = jest.fn(async () => {
      throw errorFromResponse(
        404,
        JSON.stringify({
          error: 'not_found',
          message:
            "The data file 'missing.csv' does not exist under the Jupyter server root."
        })
      );
    });
    const { model } = fakeModel({ createExperiment: refuse });
    const opened = jest.fn();
    const done = importNotebookWithDialog({
      model,
      trans,
      path: 'nb.ipynb',
      onOpenExperiment: opened
    });
    await waitFor(() =>
      expect(
        dialogNode().querySelector('#jp-autopilot-import-data')
      ).not.toBeNull()
    );
    type('#jp-autopilot-import-data', 'missing.csv');
    button('Create experiment').click();
    await waitFor(() =>
      expect(text()).toContain(
        "The experiment was not created. The data file 'missing.csv' does not exist"
      )
    );
    expect(refuse).toHaveBeenCalledTimes(1);
    expect(
      dialogNode().querySelector<HTMLInputElement>('#jp-autopilot-import-data')
        ?.value
    ).toBe('missing.csv');
    await waitFor(() =>
      expect(button('Create experiment').disabled).toBe(false)
    );
    button('Cancel').click();
    await expect(done).resolves.toBeNull();
    expect(opened).not.toHaveBeenCalled();
  });

  it('shows why a notebook cannot be imported, with nothing to create', async () => {
    const fail = jest.fn(async () => {
      throw errorFromResponse(
        400,
        JSON.stringify({
          error: 'invalid_request',
          message:
            "'plain.ipynb' is not a SageMaker Autopilot candidate-definition notebook."
        })
      );
    });
    const { model } = fakeModel({ importSageMakerNotebook: fail });
    const done = importNotebookWithDialog({
      model,
      trans,
      path: 'plain.ipynb',
      onOpenExperiment: jest.fn()
    });
    await waitFor(() =>
      expect(dialogNode().querySelector('[role="alert"]')?.textContent).toBe(
        "Cannot re-run this notebook locally. 'plain.ipynb' is not a SageMaker Autopilot candidate-definition notebook.Try again"
      )
    );
    expect(button('Create experiment').disabled).toBe(true);
    // Clicking it does nothing.
    button('Create experiment').click();
    expect(document.querySelector('.jp-Dialog')).not.toBeNull();
    button('Cancel').click();
    await expect(done).resolves.toBeNull();
  });
});
