/**
 * Page objects of the Autopilot panels, so that specs read like the user's steps.
 *
 * Locators are role-based (what a user or a screen reader sees) wherever JupyterLab
 * gives the element a role; CSS is used only for JupyterLab's own chrome.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, TestInfo } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/** Where the README's screenshots live (updated when UPDATE_DOCS_IMAGES is set). */
const DOCS_IMAGES = path.resolve(__dirname, '..', '..', 'docs', 'images');

/** Save a screenshot as a test artifact (and into docs/images when asked). */
export async function snap(
  page: IJupyterLabPageFixture,
  testInfo: TestInfo,
  name: string,
  options: { docs?: boolean; locator?: Locator } = {}
): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  const target = options.locator ?? page;
  await target.screenshot({
    path: file,
    animations: 'disabled',
    caret: 'hide'
  });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
  if (options.docs && process.env.UPDATE_DOCS_IMAGES) {
    fs.mkdirSync(DOCS_IMAGES, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_IMAGES, `${name}.png`));
  }
}

/** The application as the user sees it: sidebars, file browser, main area tabs. */
export class Autopilot {
  constructor(readonly page: IJupyterLabPageFixture) {}

  /** The "Autopilot experiments" sidebar. */
  get experimentsPanel(): Locator {
    return this.page.locator('#jp-autopilot-sidebar');
  }

  /** The "Autopilot endpoints" sidebar. */
  get endpointsPanel(): Locator {
    return this.page.locator('#jp-autopilot-endpoints');
  }

  /** The experiments list of the sidebar. */
  get experimentsList(): Locator {
    return this.experimentsPanel.getByRole('list', { name: 'Experiments' });
  }

  async openExperimentsPanel(): Promise<void> {
    if (!(await this.experimentsPanel.isVisible())) {
      await this.page
        .getByRole('tab', { name: 'Autopilot experiments' })
        .click();
    }
    await expect(this.experimentsPanel).toBeVisible();
  }

  async openEndpointsPanel(): Promise<void> {
    if (!(await this.endpointsPanel.isVisible())) {
      await this.page.getByRole('tab', { name: 'Autopilot endpoints' }).click();
    }
    await expect(this.endpointsPanel).toBeVisible();
  }

  /** Show the file browser at the server root. */
  async openFileBrowserAtRoot(): Promise<void> {
    const browser = this.page.locator('#filebrowser');
    if (!(await browser.isVisible())) {
      await this.page.getByRole('tab', { name: /File Browser/ }).click();
    }
    await browser.locator('.jp-BreadCrumbs-home').click();
  }

  /** Double-click a folder in the file browser. */
  async openFolder(name: string): Promise<void> {
    await this.fileItem(name).dblclick();
    await expect(
      this.page.locator('#filebrowser .jp-BreadCrumbs')
    ).toContainText(name);
  }

  /** A file or folder of the file browser's current folder (its accessible name is its tooltip). */
  fileItem(name: string): Locator {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.page
      .locator('#filebrowser')
      .getByRole('listitem', { name: new RegExp(`^Name: ${escaped}\\s`) });
  }

  /** Right-click a CSV file and choose "Create Autopilot Experiment". */
  async createExperimentFromFile(name: string): Promise<CreateWizard> {
    await this.fileItem(name).click({ button: 'right' });
    await this.page
      .getByRole('menuitem', { name: 'Create Autopilot Experiment' })
      .click();
    const wizard = new CreateWizard(this.page);
    await expect(wizard.root).toBeVisible();
    return wizard;
  }

  /** The "Create experiment" button of the sidebar. */
  async createExperiment(): Promise<CreateWizard> {
    await this.openExperimentsPanel();
    await this.experimentsPanel
      .getByRole('button', { name: 'Create experiment' })
      .click();
    const wizard = new CreateWizard(this.page);
    await expect(wizard.root).toBeVisible();
    return wizard;
  }

  /** Open a new launcher; its "Autopilot" section (our commands' cards). */
  async openLauncherSection(): Promise<Locator> {
    await this.page.menu.clickMenuItem('File>New Launcher');
    const section = this.page
      .locator('.jp-Launcher-section')
      .filter({ has: this.page.getByRole('heading', { name: 'Autopilot' }) });
    await expect(section).toBeVisible();
    return section;
  }

  /** Open an experiment from the sidebar list. */
  async openExperiment(name: string): Promise<ExperimentPage> {
    await this.openExperimentsPanel();
    await this.experimentsList
      .getByRole('button', { name: new RegExp(`^Open experiment ${name} `) })
      .click();
    return this.experimentPage(name);
  }

  /** The experiment view of `name` (in the main area). */
  experimentPage(name: string): ExperimentPage {
    return new ExperimentPage(this.page, name);
  }

  /** The endpoint view of `name` (in the main area). */
  endpointPage(name: string): EndpointPage {
    return new EndpointPage(this.page, name);
  }

  /** Activate a main-area tab by its label. */
  async activateTab(label: string | RegExp): Promise<void> {
    await this.page
      .locator('#jp-main-dock-panel')
      .getByRole('tab', { name: label, exact: typeof label === 'string' })
      .click();
  }

  /** The currently open modal dialog. */
  get dialog(): Locator {
    return this.page.locator('.jp-Dialog');
  }
}

/** The create-experiment wizard. */
export class CreateWizard {
  constructor(readonly page: IJupyterLabPageFixture) {}

  get root(): Locator {
    return this.page.locator('.jp-AutopilotCreate:visible');
  }

  get previewTable(): Locator {
    return this.root.getByRole('table', { name: /^First \d+ rows of/ });
  }

  get previewSummary(): Locator {
    return this.root.locator('.jp-Autopilot-previewSummary');
  }

  /** The announced error messages in the wizard. */
  get alerts(): Locator {
    return this.root.getByRole('alert');
  }

  /** The inline error shown under a field (its label). */
  fieldError(label: string): Locator {
    return this.root
      .locator('.jp-Autopilot-field', {
        has: this.page.getByLabel(label, { exact: true })
      })
      .locator('.jp-Autopilot-fieldError');
  }

  /** The wizard opened on `fileName` with `target` chosen, at the target step. */
  async expectOpenedOn(fileName: string, target: string): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(
      this.page.getByRole('tab', { name: `New experiment: ${fileName}` })
    ).toBeVisible();
    await expect(this.stepTitle).toHaveText('Step 2 of 4: Target and columns');
    await expect(this.root.getByLabel('Target column')).toHaveValue(target);
  }

  async chooseFile(
    pathUnderRoot: string,
    label = 'Training data file'
  ): Promise<void> {
    const input = this.root.getByLabel(label, { exact: true });
    await input.fill(pathUnderRoot);
    await input.press('Enter');
  }

  async next(): Promise<void> {
    await this.root.getByRole('button', { name: 'Next', exact: true }).click();
  }

  async back(): Promise<void> {
    await this.root.getByRole('button', { name: 'Back', exact: true }).click();
  }

  /** The step title ("Step 2 of 4: Target and columns"). */
  get stepTitle(): Locator {
    return this.root.getByRole('heading', { name: /^Step \d of 4/ });
  }

  async pickTarget(column: string): Promise<void> {
    await this.root.getByLabel('Target column').selectOption(column);
  }

  async excludeColumn(column: string): Promise<void> {
    await this.root
      .getByRole('checkbox', { name: `Use column ${column}` })
      .uncheck();
  }

  async setName(name: string): Promise<void> {
    await this.root.getByLabel('Experiment name').fill(name);
  }

  async setBudget(budget: {
    maxCandidates?: number;
    maxTrialRuntime?: number;
    maxJobRuntime?: number;
  }): Promise<void> {
    if (budget.maxCandidates !== undefined) {
      await this.root
        .getByLabel('Max candidates')
        .fill(String(budget.maxCandidates));
    }
    if (budget.maxTrialRuntime !== undefined) {
      await this.root
        .getByLabel('Max trial runtime (s)')
        .fill(String(budget.maxTrialRuntime));
    }
    if (budget.maxJobRuntime !== undefined) {
      await this.root
        .getByLabel('Max job runtime (s)')
        .fill(String(budget.maxJobRuntime));
    }
  }

  /**
   * The first two steps on `pathUnderRoot` (its preview shown), `target` chosen, then the
   * settings step with the experiment named `name`.
   */
  async toSettings(
    pathUnderRoot: string,
    target: string,
    name: string
  ): Promise<void> {
    await this.chooseFile(pathUnderRoot);
    await expect(this.previewTable).toBeVisible();
    await this.next();
    await this.pickTarget(target);
    await this.next();
    await this.setName(name);
  }

  async choosePilot(): Promise<void> {
    await this.root.getByRole('radio', { name: /No: pilot run/ }).check();
  }

  async create(): Promise<void> {
    await this.root.getByRole('button', { name: 'Create experiment' }).click();
  }
}

/** The detail view of one experiment. */
export class ExperimentPage {
  constructor(
    readonly page: IJupyterLabPageFixture,
    readonly name: string
  ) {}

  get root(): Locator {
    return this.page.locator('.jp-AutopilotExperiment:visible');
  }

  get heading(): Locator {
    return this.root.getByRole('heading', { name: this.name, level: 2 });
  }

  /** The status line ("Running: …", "Completed. …"). */
  get statusLine(): Locator {
    return this.root.getByRole('status').first();
  }

  get stages(): Locator {
    return this.root.getByRole('list', { name: 'Stages' });
  }

  /** One stage card by its title. */
  stage(title: string): Locator {
    return this.stages.getByRole('listitem').filter({ hasText: title });
  }

  async expectStageStatus(
    title: string,
    status: string | RegExp,
    timeout = 30_000
  ): Promise<void> {
    await expect(this.stage(title)).toHaveAttribute('data-status', status, {
      timeout
    });
  }

  /** Wait until every stage is done (the experiment completed). */
  async waitForAllStagesDone(timeout: number): Promise<void> {
    for (const title of [
      'Pre-processing',
      'Candidate Definitions Generated',
      'Feature Engineering',
      'Model Tuning'
    ]) {
      await this.expectStageStatus(title, 'done', timeout);
    }
  }

  get badge(): Locator {
    return this.root
      .locator('.jp-Autopilot-viewHeader .jp-Autopilot-badge')
      .first();
  }

  button(name: string | RegExp): Locator {
    return this.root.getByRole('button', {
      name,
      exact: typeof name === 'string'
    });
  }

  get leaderboard(): Locator {
    return this.root.getByRole('table', { name: 'Trials leaderboard' });
  }

  /** Leaderboard body rows. */
  get trials(): Locator {
    return this.leaderboard.locator('tbody tr');
  }

  get warnings(): Locator {
    return this.root.getByRole('region', { name: 'Data warnings' });
  }

  async openNotebook(
    which: 'data exploration' | 'candidate definitions'
  ): Promise<void> {
    const button = this.button(`Open ${which} notebook`);
    await expect(button).toBeEnabled();
    await button.click();
  }

  /** Click Deploy, keep the suggested settings, and wait until the endpoint is in service. */
  async deployBest(timeout = 120_000): Promise<string> {
    await this.button('Deploy').click();
    const dialog = this.page.locator('.jp-Dialog');
    await expect(
      dialog.getByText(`Deploy a model from ${this.name}`)
    ).toBeVisible();
    await expect(dialog.getByLabel('Candidate', { exact: true })).toHaveValue(
      /.+/
    );
    const endpointName = await dialog.getByLabel('Endpoint name').inputValue();
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    const progress = this.page.locator('.jp-Dialog', {
      hasText: `Deploying ${endpointName}`
    });
    await expect(progress).toBeVisible();
    await expect(
      progress.getByText('In service.', { exact: false })
    ).toBeVisible({ timeout });
    return endpointName;
  }
}

/** The detail view of one endpoint (details, Predict, Batch prediction). */
export class EndpointPage {
  constructor(
    readonly page: IJupyterLabPageFixture,
    readonly name: string
  ) {}

  get root(): Locator {
    return this.page.locator('.jp-AutopilotEndpoint:visible');
  }

  get badge(): Locator {
    return this.root
      .locator('.jp-Autopilot-viewHeader .jp-Autopilot-badge')
      .first();
  }

  /** Fill the predict form from row `n` (1-based) of the data sample and predict. */
  async predictSampleRow(n: number): Promise<void> {
    await this.root
      .getByRole('radio', { name: `Use row ${n}`, exact: true })
      .check();
    await this.root
      .getByRole('button', { name: 'Predict', exact: true })
      .click();
  }

  get predictedLabel(): Locator {
    return this.root.getByTestId('predicted-label');
  }

  /** Paste CSV rows into the Predict form and predict them. */
  async predictPasted(csv: string): Promise<void> {
    await this.root.getByRole('radio', { name: 'Paste CSV' }).check();
    await this.root.getByLabel('CSV rows').fill(csv);
    await this.root
      .getByRole('button', { name: 'Predict', exact: true })
      .click();
  }

  /** The table of predictions of pasted rows. */
  get predictions(): Locator {
    return this.root.getByRole('table', { name: 'Predictions' });
  }

  /** Start a batch prediction on a CSV under the server root. */
  async runBatchPrediction(inputPath: string): Promise<void> {
    await this.root.getByLabel('Input CSV').fill(inputPath);
    await this.root
      .getByRole('button', { name: 'Run batch prediction' })
      .click();
  }

  get batchStatus(): Locator {
    return this.root.locator('.jp-AutopilotBatch-status');
  }
}
