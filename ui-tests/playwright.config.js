/**
 * Playwright configuration of the jupyter-autopilot UI tests.
 *
 * Uses Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium): Playwright's
 * own browser downloads are not available offline. Tests share one Jupyter server
 * (and its training worker), so they run one at a time.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

module.exports = {
  ...baseConfig,
  reporter: [
    [process.env.CI ? 'line' : 'list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }]
  ],
  timeout: 120 * 1000,
  expect: { timeout: 15 * 1000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  outputDir: 'test-results',
  use: {
    ...baseConfig.use,
    viewport: { width: 1440, height: 900 },
    video: 'off',
    // Fail a stuck click or fill quickly; long waits use explicit timeouts.
    actionTimeout: 30 * 1000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium'
    }
  },
  webServer: {
    command: 'jupyter lab --config jupyter_server_test_config.py',
    url: 'http://localhost:8888/lab',
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
