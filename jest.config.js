const jestJupyterLab = require('@jupyterlab/testutils/lib/jest-config');

const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyter/react-components',
  '@jupyter/web-components',
  '@microsoft/fast',
  '@jupyterlab/',
  'exenv-es6',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  collectCoverageFrom: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.d.ts',
    '!src/api/schema.ts',
    '!src/**/.ipynb_checkpoints/*'
  ],
  coverageReporters: ['lcov', 'text-summary'],
  testRegex: 'src/.*/.*.spec.ts[x]?$',
  // Keep jest's file crawler out of the venv, the built extension and the UI
  // tests' own node_modules (hundreds of MB).
  modulePathIgnorePatterns: [
    '<rootDir>/.venv/',
    '<rootDir>/jupyter_autopilot/labextension/',
    '<rootDir>/ui-tests/'
  ],
  watchPathIgnorePatterns: ['<rootDir>/ui-tests/'],
  // ts-jest reads tsconfig.test.json (the base config's transform): isolatedModules there
  // makes it transpile each file without type-checking it (45 -> 31 CPU s for the suite);
  // the types of the tests are checked once, by `jlpm lint:check` (tsc -p tsconfig.test.json).
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
