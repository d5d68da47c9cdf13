/**
 * The SageMaker Autopilot tutorial (TUTORIAL.md steps 3-8) on the local backend,
 * by clicking only: open the bank CSV, preview it, pick the target, create with a
 * small budget, watch the four stages, open both notebooks, read the leaderboard,
 * deploy the best model, predict one row, clean up and see nothing left.
 *
 * Each step saves a screenshot as a test artifact; with UPDATE_DOCS_IMAGES=1 the
 * best ones are also copied to docs/images/ for the README.
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

const NAME = 'tutorial-autopilot';

test.describe('Autopilot tutorial journey (local backend)', () => {
  test.beforeAll(async ({ request }) => {
    await removeExperiment(request, NAME);
  });

  test('from the bank CSV to predictions and clean-up, by clicking', async ({
    page
  }, testInfo) => {
    test.setTimeout(8 * 60 * 1000);
    const autopilot = new Autopilot(page);

    // Step 3: the data.
    const wizard =
      await test.step('open the bank CSV from the file browser', async () => {
        await autopilot.openFileBrowserAtRoot();
        await autopilot.openFolder('bank-additional');
        return autopilot.createExperimentFromFile('bank-additional-full.csv');
      });

    await test.step('preview the first 10 rows with detected types', async () => {
      await expect(wizard.previewTable).toBeVisible();
      await expect(wizard.previewTable.locator('tbody tr')).toHaveCount(10);
      await expect(wizard.previewSummary).toContainText('21 columns');
      await expect(wizard.previewSummary).toContainText('semicolon-separated');
      await expect(
        wizard.previewTable.getByRole('columnheader', { name: /^age/ })
      ).toContainText('numeric');
      await snap(page, testInfo, '01-preview', { docs: true });
    });

    // Step 4: the experiment.
    await test.step('pick the target y', async () => {
      await wizard.next();
      await expect(wizard.stepTitle).toHaveText(
        'Step 2 of 4: Target and columns'
      );
      await wizard.pickTarget('y');
      await expect(
        wizard.root.getByText('Looks like: Binary classification')
      ).toBeVisible();
      await snap(page, testInfo, '02-target', { docs: true });
    });

    await test.step('name it and give it a small budget', async () => {
      await wizard.next();
      await wizard.setName(NAME);
      await wizard.setBudget({ maxCandidates: 4, maxJobRuntime: 60 });
      await wizard.next();
      await expect(wizard.stepTitle).toHaveText(
        'Step 4 of 4: Review and create'
      );
      await expect(
        wizard.root.getByRole('row', { name: /Target y/ })
      ).toBeVisible();
      await snap(page, testInfo, '03-review');
      await wizard.create();
    });

    // Step 5: the stages.
    const experiment = autopilot.experimentPage(NAME);
    await test.step('watch the four stages complete', async () => {
      await expect(experiment.heading).toBeVisible();
      await expect(experiment.stages.getByRole('listitem')).toHaveCount(4);
      await experiment.expectStageStatus(
        'Model Tuning',
        /running|done/,
        120_000
      );
      await snap(page, testInfo, '04-stages-running');
      await experiment.waitForAllStagesDone(180_000);
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 30_000
      });
      // The activity animation stops with the run.
      await expect(
        experiment.root.locator('.jp-Autopilot-stage.jp-mod-active')
      ).toHaveCount(0);
      await expect(
        experiment.root.locator('.jp-Autopilot-stageElapsed').first()
      ).toHaveText(/\d/);
      await snap(page, testInfo, '05-stages-complete', { docs: true });
    });

    await test.step('see the sidebar list it as completed', async () => {
      await autopilot.openExperimentsPanel();
      await expect(
        autopilot.experimentsList.getByRole('button', {
          name: `Open experiment ${NAME} (Completed)`
        })
      ).toBeVisible();
    });

    await test.step('open the data exploration notebook', async () => {
      await experiment.openNotebook('data exploration');
      await expect(
        page
          .locator('#jp-main-dock-panel')
          .getByRole('tab', { name: 'data_exploration.ipynb' })
      ).toBeVisible();
      await expect(
        page.locator('.jp-NotebookPanel:visible .jp-Cell').first()
      ).toBeVisible();
      await snap(page, testInfo, '06-data-exploration-notebook');
    });

    await test.step('open the candidate definitions notebook', async () => {
      await autopilot.activateTab(NAME);
      await experiment.openNotebook('candidate definitions');
      await expect(
        page
          .locator('#jp-main-dock-panel')
          .getByRole('tab', { name: 'candidate_definitions.ipynb' })
      ).toBeVisible();
      await expect(
        page.locator('.jp-NotebookPanel:visible .jp-Cell').first()
      ).toBeVisible();
      await autopilot.activateTab(NAME);
    });

    await test.step('read the leaderboard, best first, and sort it', async () => {
      await expect(experiment.leaderboard).toBeVisible();
      expect(await experiment.trials.count()).toBeGreaterThanOrEqual(2);
      const first = experiment.trials.first();
      await expect(first).toContainText('Best');
      await expect(first.locator('td').first()).toHaveText('1');
      // Sort by duration, then back to the objective.
      await experiment.leaderboard
        .getByRole('button', { name: 'Duration' })
        .click();
      await expect(
        experiment.leaderboard.getByRole('columnheader', { name: /Duration/ })
      ).toHaveAttribute('aria-sort', 'ascending');
      await experiment.leaderboard
        .getByRole('button', { name: /\(objective\)/ })
        .click();
      await expect(experiment.trials.first()).toContainText('Best');
      // The best candidate's details, with its charts.
      await expect(
        experiment.root.getByRole('heading', { name: 'Candidate details' })
      ).toBeVisible();
      await expect(
        experiment.root.locator('.jp-Autopilot-chartCanvas svg').first()
      ).toBeVisible({ timeout: 30_000 });
      await snap(page, testInfo, '07-leaderboard', { docs: true });
      await experiment.root
        .locator('.jp-Autopilot-charts')
        .scrollIntoViewIfNeeded();
      await snap(page, testInfo, '08-candidate-insights', { docs: true });
    });

    // Step 6: deploy.
    const endpointName =
      await test.step('deploy the best candidate', async () => {
        const endpointName = await experiment.deployBest();
        await snap(page, testInfo, '09-deployed');
        await page
          .locator('.jp-Dialog')
          .getByRole('button', { name: 'Open endpoint' })
          .click();
        return endpointName;
      });

    // Step 7: predict.
    const endpoint = autopilot.endpointPage(endpointName);
    await test.step('predict one row of the data', async () => {
      await expect(endpoint.badge).toHaveText('In service');
      await endpoint.predictSampleRow(1);
      await expect(endpoint.predictedLabel).toHaveText(/^(yes|no)$/, {
        timeout: 30_000
      });
      await expect(
        endpoint.root.getByText('Probability', { exact: true })
      ).toBeVisible();
      await snap(page, testInfo, '10-prediction', { docs: true });
      await autopilot.openEndpointsPanel();
      await expect(
        autopilot.endpointsPanel.getByRole('button', {
          name: new RegExp(`Open endpoint ${endpointName}`)
        })
      ).toBeVisible();
    });

    await test.step('predict pasted CSV rows', async () => {
      await endpoint.predictPasted(
        [
          'age,job,marital,education,default,housing,loan,contact,month,day_of_week,duration,campaign,pdays,previous,poutcome,emp.var.rate,cons.price.idx,cons.conf.idx,euribor3m,nr.employed',
          '56,housemaid,married,basic.4y,no,no,no,telephone,may,mon,261,1,999,0,nonexistent,1.1,93.994,-36.4,4.857,5191',
          '35,admin.,single,university.degree,no,yes,no,cellular,oct,thu,900,1,999,0,nonexistent,-1.1,94.601,-49.5,1.025,4963.6'
        ].join('\n')
      );
      await expect(endpoint.predictions.locator('tbody tr')).toHaveCount(2);
    });

    await test.step('run a batch prediction on a file and open the output', async () => {
      await endpoint.runBatchPrediction('bank-sample.csv');
      await expect(endpoint.batchStatus.getByText('Completed')).toBeVisible({
        timeout: 60_000
      });
      await expect(endpoint.batchStatus).toContainText('50 of 50 rows');
      await snap(page, testInfo, '10b-batch-prediction');
      await endpoint.root
        .getByRole('button', { name: 'Open bank-sample.predictions.csv' })
        .click();
      await expect(
        page
          .locator('#jp-main-dock-panel')
          .getByRole('tab', { name: 'bank-sample.predictions.csv' })
      ).toBeVisible();
    });

    await test.step('the same batch again replaces its output only when ticked', async () => {
      await autopilot.activateTab(endpointName);
      const replace = endpoint.root.getByRole('checkbox', {
        name: /Replace the output file if it exists/
      });
      await expect(replace).not.toBeChecked();
      const started = () =>
        page.waitForResponse(
          r =>
            r.url().includes('/batch-predictions') &&
            r.request().method() === 'POST'
        );
      const refused = started();
      await endpoint.runBatchPrediction('bank-sample.csv');
      expect((await refused).status()).toBe(409);
      await expect(endpoint.root.getByRole('alert')).toContainText(
        'already exists'
      );
      await replace.check();
      const replaced = started();
      await endpoint.root
        .getByRole('button', { name: 'Run batch prediction' })
        .click();
      const answer = await replaced;
      expect(answer.status()).toBe(202);
      expect(answer.request().postDataJSON()).toMatchObject({
        input_path: 'bank-sample.csv',
        overwrite: true
      });
      await expect(endpoint.root.getByRole('alert')).toHaveCount(0);
      await expect(endpoint.batchStatus.getByText('Completed')).toBeVisible({
        timeout: 60_000
      });
      await expect(endpoint.batchStatus).toContainText('50 of 50 rows');
    });

    await test.step('stop a long batch prediction from the panel', async () => {
      // bank-large.csv: the data eight times over (about 330,000 rows, 17 chunks).
      const output = 'bank-large.predictions.csv';
      await endpoint.runBatchPrediction('bank-large.csv');
      const stop = endpoint.batchStatus.getByRole('button', { name: 'Stop' });
      await expect(stop).toBeVisible();
      // Some rows are done, not all: it is running when Stop is pressed.
      await expect(endpoint.batchStatus).toContainText(
        /[1-9][\d,]* of 329,504 rows/,
        {
          timeout: 60_000
        }
      );
      await stop.click();
      await expect(endpoint.batchStatus.getByRole('alert')).toContainText(
        /Stopped by the user after [\d,]+ of 329,504 rows; no output file was written\./,
        { timeout: 30_000 }
      );
      await expect(stop).toHaveCount(0);
      await expect(endpoint.batchStatus.getByRole('progressbar')).toHaveCount(
        0
      );
      await snap(page, testInfo, '10c-batch-stopped');
      // No output file, and the form can start a batch again.
      expect((await page.request.get(`/api/contents/${output}`)).status()).toBe(
        404
      );
      await expect(
        endpoint.root.getByRole('button', { name: 'Run batch prediction' })
      ).toBeEnabled();
    });

    // Step 8: clean up.
    await test.step('clean up everything the experiment created', async () => {
      await autopilot.activateTab(NAME);
      await experiment.button('Clean up').click();
      const dialog = page.locator('.jp-Dialog');
      await expect(
        dialog.getByRole('list', { name: 'Resources to delete' })
      ).toBeVisible();
      await expect(
        dialog.getByRole('list', { name: 'Resources to delete' })
      ).toContainText(endpointName);
      await dialog
        .getByRole('checkbox', {
          name: 'Also remove the experiment from the list'
        })
        .check();
      await snap(page, testInfo, '11-cleanup-plan', { docs: true });
      await dialog.getByRole('button', { name: 'Delete' }).click();
      const result = page.locator('.jp-Dialog', { hasText: 'Nothing is left' });
      await expect(result).toBeVisible({ timeout: 60_000 });
      await expect(result.getByRole('list', { name: 'Deleted' })).toContainText(
        endpointName
      );
      await snap(page, testInfo, '12-cleanup-result');
      await result.getByRole('button', { name: 'Close' }).click();
    });

    await test.step('see nothing left', async () => {
      await expect(
        experiment.root.getByText(`The experiment ${NAME} no longer exists`)
      ).toBeVisible();
      await autopilot.openEndpointsPanel();
      await expect(
        autopilot.endpointsPanel.getByText(endpointName)
      ).toHaveCount(0);
      await autopilot.openExperimentsPanel();
      await expect(
        autopilot.experimentsPanel.getByText(NAME, { exact: true })
      ).toHaveCount(0);
    });
  });
});
