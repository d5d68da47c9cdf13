/**
 * "Re-run SageMaker Candidates Locally" (project `local`): the server root has the bank
 * job's SageMaker Autopilot candidate-definition notebook and its generated modules in
 * `sagemaker-job/`, and `plain.ipynb`, a notebook that is not one (both written by
 * jupyter_server_test_config.py with tests/support/autopilot_notebook.py). The
 * notebook is opened from the file browser's context menu, its three candidates are
 * checked in the dialog, and the experiment trains for real with exactly those
 * candidates. Errors (a notebook that is not Autopilot's, opened from the command
 * palette by path; a missing data file; no candidate selected) are shown in the dialog,
 * which stays open.
 *
 * Nothing is stubbed.
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

import { expect, test } from '../helpers/fixtures';
import { removeExperiment, waitForExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

/** Unique per run: the server may be reused between runs outside CI. */
const RUN = Date.now().toString(36);
const NAME = `reimported-bank-${RUN}`;
const FOLDER = 'sagemaker-job';
const NOTEBOOK = 'SageMakerAutopilotCandidateDefinitionNotebook.ipynb';
// The 4,000-row sample (jupyter_server_test_config.py): the panels are under test here.
const DATA = 'bank-additional/bank-4000.csv';
const MENU_ITEM = 'Re-run SageMaker Candidates Locally…';
const TITLE = 'Re-run SageMaker candidates locally';
const CANDIDATES = ['dpp0-xgboost', 'dpp1-xgboost', 'dpp2-linear-learner'];

/** Right-click a notebook of the file browser's current folder and choose the command. */
async function importFromContextMenu(
  page: IJupyterLabPageFixture,
  autopilot: Autopilot,
  file: string
): Promise<Locator> {
  await autopilot.fileItem(file).click({ button: 'right' });
  await page.getByRole('menuitem', { name: MENU_ITEM }).click();
  const dialog = page.locator('.jp-Dialog', { hasText: TITLE });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The inline error under a field of the dialog (by the field's label). */
function fieldError(dialog: Locator, label: string): Locator {
  return dialog
    .locator('.jp-Autopilot-field')
    .filter({
      has: dialog.page().locator('label.jp-Autopilot-fieldLabel', {
        hasText: label
      })
    })
    .locator('.jp-Autopilot-fieldError');
}

/** Run a command from the command palette, as a user would. */
async function runFromPalette(
  page: IJupyterLabPageFixture,
  label: string
): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#modal-command-palette');
  await expect(palette).toBeVisible();
  await palette.locator('.lm-CommandPalette-input').fill(label);
  const item = palette.locator('.lm-CommandPalette-item', { hasText: label });
  await expect(item.first()).toBeVisible();
  await item.first().click();
}

test.describe('Re-run SageMaker candidates locally', () => {
  // Tall enough for the whole dialog in the screenshot.
  test.use({ viewport: { width: 1440, height: 1300 } });

  test.afterAll(async ({ request }) => {
    await removeExperiment(request, NAME);
  });

  test('imports a candidate-definition notebook and trains its candidates', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(6 * 60 * 1000);
    const autopilot = new Autopilot(page);
    let dialog!: Locator;

    await test.step('open the notebook’s folder and choose the command', async () => {
      await autopilot.openFileBrowserAtRoot();
      await autopilot.openFolder(FOLDER);
      dialog = await importFromContextMenu(page, autopilot, NOTEBOOK);
    });

    const table = dialog.getByRole('table', {
      name: 'Candidates of the notebook'
    });

    await test.step('the dialog shows the job and its three candidates', async () => {
      await expect(table).toBeVisible();
      const summary = dialog.getByRole('definition');
      await expect(summary.filter({ hasText: /^bank-autopilot$/ })).toHaveCount(
        1
      );
      await expect(
        summary.filter({ hasText: /^y \(of 21 columns\)$/ })
      ).toHaveCount(1);
      await expect(dialog.locator('.jp-Autopilot-keyValues')).toContainText(
        'Binary classification'
      );
      await expect(dialog.locator('.jp-Autopilot-keyValues')).toContainText(
        'F1 (SageMaker metric: F1)'
      );
      await expect(dialog.getByTestId('generated-module')).toContainText(
        `${FOLDER}/bank-autopilot-artifacts/generated_module`
      );
      await expect(table.locator('tbody tr')).toHaveCount(3);
      for (const name of CANDIDATES) {
        await expect(table.getByRole('rowheader', { name })).toBeVisible();
        // Every candidate has a local family: all are selected.
        await expect(
          table.getByRole('checkbox', { name: `Run ${name}` })
        ).toBeChecked();
      }
      await expect(
        table.locator('tr[data-candidate="dpp0-xgboost"]')
      ).toContainText('xgboost → xgboost');
      await expect(
        table.locator('tr[data-candidate="dpp2-linear-learner"]')
      ).toContainText('linear-learner → linear');
      await expect(
        table.locator('tr[data-candidate="dpp2-linear-learner"]')
      ).toContainText('QuantileExtremeValuesTransformer');
      // What differs locally, as a list per candidate.
      await expect(
        table
          .locator('tr[data-candidate="dpp1-xgboost"] li')
          .filter({ hasText: 'RobustPCA' })
      ).toBeVisible();
      // The default name comes from the job.
      await expect(dialog.getByLabel('Experiment name')).toHaveValue(
        /^bank-autopilot-local(-\d+)?$/
      );
      await expect(dialog.getByLabel('Max job runtime (s)')).toHaveValue('300');
    });

    await test.step('nothing is sent without a data file', async () => {
      await dialog.getByRole('button', { name: 'Create experiment' }).click();
      await expect(dialog).toBeVisible();
      await expect(fieldError(dialog, 'Training data (CSV)')).toHaveText(
        'Enter the path of the training data: a CSV file under the Jupyter root.'
      );
    });

    await test.step('fill in the data, the name and the budget', async () => {
      await dialog.getByLabel('Training data (CSV)').fill(DATA);
      await dialog.getByLabel('Experiment name').fill(NAME);
      await dialog.getByLabel('Max job runtime (s)').fill('30');
      for (const label of [
        'Training data (CSV)',
        'Experiment name',
        'Max job runtime (s)'
      ]) {
        await expect(fieldError(dialog, label)).toHaveText('');
      }
      await snap(page, testInfo, 'import-notebook', {
        docs: true,
        locator: dialog.locator('.jp-Dialog-content')
      });
    });

    const experiment = autopilot.experimentPage(NAME);

    await test.step('create: the experiment view opens', async () => {
      await dialog.getByRole('button', { name: 'Create experiment' }).click();
      await expect(dialog).toHaveCount(0);
      await expect(experiment.heading).toBeVisible();
      await expect(
        page
          .locator('#jp-main-dock-panel')
          .getByRole('tab', { name: NAME, exact: true })
      ).toBeVisible();
    });

    await test.step('the notebook’s candidates train and the experiment completes', async () => {
      await experiment.waitForAllStagesDone(240_000);
      await waitForExperiment(request, NAME, 60_000);
      await expect(experiment.badge).toHaveAttribute(
        'data-status',
        'Completed'
      );
      // The leaderboard lists every trial the API lists.
      const listed = await (
        await request.get(`/autopilot/api/experiments/${NAME}/candidates`)
      ).json();
      expect(listed.total).toBeGreaterThan(0);
      await expect(experiment.trials).toHaveCount(listed.total, {
        timeout: 30_000
      });
      const names = await experiment.trials.evaluateAll(rows =>
        rows.map(row => row.getAttribute('data-candidate') ?? '')
      );
      expect([...names].sort()).toEqual(
        listed.candidates.map((c: { name: string }) => c.name).sort()
      );
      expect(names.some(n => n.startsWith('dpp0-xgboost-t'))).toBe(true);
      // Only the notebook's candidates ran (dppN-<algorithm>-tNNN), plus what the tuning
      // stage builds from their trials when it helps: the greedy ensemble, and on small
      // data like this sample, k-fold bagged versions of the best ones.
      for (const name of names) {
        expect(name).toMatch(
          /^(dpp0-xgboost|dpp1-xgboost|dpp2-linear-learner|ensemble|bagged)-t\d+$/
        );
      }
    });
  });

  test('errors stay in the dialog, readable', async ({ page }, testInfo) => {
    const autopilot = new Autopilot(page);
    await autopilot.openFileBrowserAtRoot();

    await test.step('a notebook that is not an Autopilot one (from the palette)', async () => {
      // A CSV is selected, not a notebook: the command asks for the notebook's path.
      await autopilot.fileItem('bank-sample.csv').click();
      await runFromPalette(page, MENU_ITEM);
      const ask = page.locator('.jp-Dialog', {
        hasText: 'Path of the candidate-definition notebook'
      });
      await expect(ask).toBeVisible();
      await ask.locator('input').fill('plain.ipynb');
      await ask.getByRole('button', { name: 'Open' }).click();
      const dialog = page.locator('.jp-Dialog', { hasText: TITLE });
      await expect(dialog).toBeVisible();
      const alert = dialog.getByRole('alert');
      await expect(alert).toContainText('Cannot re-run this notebook locally.');
      await expect(alert).toContainText(
        "'plain.ipynb' is not a SageMaker Autopilot candidate-definition notebook"
      );
      await expect(
        dialog.getByRole('button', { name: 'Create experiment' })
      ).toBeDisabled();
      await snap(page, testInfo, 'import-notebook-not-autopilot', {
        locator: dialog.locator('.jp-Dialog-content')
      });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
    });

    await test.step('no candidate selected, then a data file that does not exist', async () => {
      await autopilot.openFolder(FOLDER);
      const dialog = await importFromContextMenu(page, autopilot, NOTEBOOK);
      const table = dialog.getByRole('table', {
        name: 'Candidates of the notebook'
      });
      for (const name of CANDIDATES) {
        await table.getByRole('checkbox', { name: `Run ${name}` }).uncheck();
      }
      await expect(
        dialog.locator(
          '.jp-AutopilotImport-candidates .jp-Autopilot-fieldError'
        )
      ).toHaveText('Select at least one candidate to run.');
      await table
        .getByRole('checkbox', { name: 'Run dpp2-linear-learner' })
        .check();
      await expect(
        dialog.locator(
          '.jp-AutopilotImport-candidates .jp-Autopilot-fieldError'
        )
      ).toHaveText('');

      await dialog.getByLabel('Training data (CSV)').fill('no-such-file.csv');
      await dialog.getByLabel('Experiment name').fill(`missing-data-${RUN}`);
      await dialog.getByRole('button', { name: 'Create experiment' }).click();
      // The server's answer, and the dialog is still open with the form as it was.
      const alert = dialog
        .getByRole('alert')
        .filter({ hasText: 'The experiment was not created.' });
      await expect(alert).toBeVisible();
      await expect(alert).toContainText('no-such-file.csv');
      await snap(page, testInfo, 'import-notebook-server-error', {
        locator: dialog.locator('.jp-Dialog-content')
      });
      await expect(dialog.getByLabel('Training data (CSV)')).toHaveValue(
        'no-such-file.csv'
      );
      await expect(
        dialog.getByRole('button', { name: 'Create experiment' })
      ).toBeEnabled();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(dialog).toHaveCount(0);
    });
  });
});
