/**
 * Playwright configuration of the jupyter-autopilot UI tests.
 *
 * Uses Debian's Chromium (CHROMIUM_PATH; by default its headless shell, the browser
 * Playwright itself runs headless tests in, else /usr/bin/chromium): Playwright's own
 * browser downloads are not available offline.
 *
 * Four projects, each with its own Jupyter server, run side by side (one worker
 * each; tests of a project share its server and run one at a time):
 * - `local` and `local-2`: the local backend (ports 8888 and 8892,
 *   jupyter_server_test_config.py), the local specs split in two halves of about the same
 *   length: the suite spends most of its time waiting on training, not on the CPU;
 * - `sagemaker`: the sagemaker backend answered by moto and the AutoML fake of the
 *   Python tests (port 8889, jupyter_server_sagemaker_config.py), plus the same in
 *   dry-run mode (port 8890) for the dry-run spec, and a server offering both backends
 *   (port 8893, jupyter_server_both_config.py: local by default, sagemaker on the fake
 *   beside it) for run-on-sagemaker.spec.ts;
 * - `tutorial`: a new user's first minute, on a server whose root starts empty
 *   (port 8891, jupyter_server_test_config.py with AUTOPILOT_UI_FRESH_ROOT=1).
 * `jlpm playwright test --project local` (or `local-2`, `sagemaker`, `tutorial`) runs
 * one of them; every server still starts. `AUTOPILOT_UI_PORT` moves the six ports
 * (default 8888, then +1 to +5), so two checkouts can run their UI tests side by side.
 */
const fs = require('fs');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Debian's chromium-headless-shell package (scripts/test installs it): the same Blink
// without the full browser's UI, measured on the checks and panels specs at 9% less CPU for
// the whole run (96 vs 105 CPU s) and 7% less time on a 2-core machine, where the UI tests
// keep both cores busy.
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
const CHROMIUM =
  process.env.CHROMIUM_PATH ||
  (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

const PORT = parseInt(process.env.AUTOPILOT_UI_PORT || '8888', 10);
const LOCAL_URL = `http://localhost:${PORT}`;
const SAGEMAKER_URL = `http://localhost:${PORT + 1}`;
const SAGEMAKER_DRY_RUN_URL = `http://localhost:${PORT + 2}`;
const TUTORIAL_URL = `http://localhost:${PORT + 3}`;
const LOCAL_2_URL = `http://localhost:${PORT + 4}`;
const BOTH_URL = `http://localhost:${PORT + 5}`;
// The dry-run and run-on-sagemaker specs read their servers' addresses from here.
process.env.AUTOPILOT_UI_DRY_RUN_URL = SAGEMAKER_DRY_RUN_URL;
process.env.AUTOPILOT_UI_BOTH_URL = BOTH_URL;
// sagemaker*.spec.ts and run-on-sagemaker.spec.ts (which uses the both-backends server).
const SAGEMAKER_SPECS = /sagemaker[^/]*\.spec\.ts$/;
// tutorial*.spec.ts (not sagemaker-tutorial*.spec.ts, which is a sagemaker spec).
const TUTORIAL_SPECS = /[\\/]tutorial[^/\\]*\.spec\.ts$/;
// The second half of the local specs. Measured in a ci-like run (2026-12-06): local 406 s,
// local-2 474 s with the weights and training specs (31 s, now in `local`).
const LOCAL_2_SPECS =
  /[\\/](import-notebook|extend|errors|monitoring|variants|theme|explain|validation-file|forecast)\.spec\.ts$/;

/** A Jupyter server for a project (CI always starts fresh ones). */
function server(config, url, env = {}) {
  return {
    command: `jupyter lab --config ${config} --port ${new URL(url).port}`,
    url: `${url}/lab`,
    env,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  };
}

module.exports = {
  ...baseConfig,
  reporter: [
    // `list` on CI too: a line per test with its duration, where the time went.
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }]
  ],
  timeout: 120 * 1000,
  expect: { timeout: 15 * 1000 },
  // One worker per project (see `projects`): the projects run side by side.
  workers: 4,
  fullyParallel: false,
  // On CI a failed test runs once more, as JupyterLab's own Galata suite does: Chromium on a
  // loaded 2-core machine occasionally drops an in-flight page.evaluate while the app
  // reloads ("Resulting promise was garbage collected", seen once in panels.spec.ts).
  // A retried test is reported as flaky; a real failure fails twice.
  retries: process.env.CI ? 1 : 0,
  outputDir: 'test-results',
  use: {
    ...baseConfig.use,
    viewport: { width: 1440, height: 900 },
    video: 'off',
    // The browser prefers reduced motion, a setting the panels honour (style/base.css): in
    // headless Chromium any running CSS animation repaints the whole page in software 60
    // times a second, about one core per page while a test watches a job train (measured:
    // 55 -> 10 CPU s for a page watching a run for 50 s).
    reducedMotion: 'reduce',
    // Fail a stuck click or fill quickly; long waits use explicit timeouts.
    actionTimeout: 30 * 1000,
    // On CI a trace is recorded only when a failed test runs again: recording one for every
    // test (DOM snapshots around each action, a screencast) cost 40% of Chromium's CPU,
    // measured on the checks, panels and trials specs (50.6 -> 30.2 CPU s). A real failure
    // fails twice, so it still leaves its trace; the first attempt leaves its screenshot.
    trace: process.env.CI ? 'on-first-retry' : 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM
    }
  },
  projects: [
    {
      name: 'local',
      testIgnore: [SAGEMAKER_SPECS, TUTORIAL_SPECS, LOCAL_2_SPECS],
      workers: 1,
      use: { baseURL: LOCAL_URL }
    },
    {
      name: 'local-2',
      testMatch: LOCAL_2_SPECS,
      workers: 1,
      use: { baseURL: LOCAL_2_URL }
    },
    {
      name: 'sagemaker',
      testMatch: SAGEMAKER_SPECS,
      workers: 1,
      use: { baseURL: SAGEMAKER_URL }
    },
    {
      name: 'tutorial',
      testMatch: TUTORIAL_SPECS,
      workers: 1,
      use: { baseURL: TUTORIAL_URL }
    }
  ],
  webServer: [
    server('jupyter_server_test_config.py', LOCAL_URL),
    server('jupyter_server_sagemaker_config.py', SAGEMAKER_URL),
    server('jupyter_server_sagemaker_config.py', SAGEMAKER_DRY_RUN_URL, {
      AUTOPILOT_UI_SAGEMAKER_DRY_RUN: '1'
    }),
    server('jupyter_server_test_config.py', TUTORIAL_URL, {
      AUTOPILOT_UI_FRESH_ROOT: '1'
    }),
    server('jupyter_server_test_config.py', LOCAL_2_URL),
    server('jupyter_server_both_config.py', BOTH_URL)
  ]
};
