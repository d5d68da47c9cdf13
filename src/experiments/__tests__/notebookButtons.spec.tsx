/**
 * The notebook buttons: a notebook the job will write is a disabled button until it is
 * there; one the job never writes (a SageMaker forecasting job has no candidate
 * definitions) is not offered at all.
 */
import * as React from 'react';

import { mountPoint } from '../../__tests__/dom';
import type { Artifact } from '../../api/types';
import { NotebookButtons } from '../ExperimentFiles';

const dom = mountPoint();

const labels = () =>
  Array.from(dom.container.querySelectorAll('button')).map(b => ({
    text: b.textContent,
    disabled: b.disabled
  }));

/** An artifact with the fields the API always sends. */
const artifact = (
  kind: Artifact['kind'],
  available: boolean,
  path: string | null = null
): Artifact => ({
  kind,
  title: kind,
  available,
  path,
  uri: null,
  size_bytes: null
});

const render = (artifacts: Artifact[] | null) =>
  dom.render(
    <NotebookButtons
      artifacts={artifacts}
      stages={[]}
      onOpen={() => undefined}
    />
  );

describe('the notebook buttons', () => {
  it('wait for the notebooks a tabular job writes', () => {
    render([
      artifact(
        'data_exploration_notebook',
        true,
        'autopilot/x/notebooks/SageMakerAutopilotDataExplorationNotebook.ipynb'
      ),
      artifact('candidate_definitions_notebook', false)
    ]);
    expect(labels()).toEqual([
      { text: 'Open data exploration notebook', disabled: false },
      { text: 'Open candidate definitions notebook', disabled: true }
    ]);
  });

  it('leave out the notebook a forecasting job never writes', () => {
    render([
      artifact(
        'data_exploration_notebook',
        true,
        'autopilot/fc/notebooks/SageMakerAutopilotDataExplorationNotebook.ipynb'
      ),
      artifact('backtest_results', false)
    ]);
    expect(labels()).toEqual([
      { text: 'Open data exploration notebook', disabled: false }
    ]);
  });

  it('show both while the artifacts are not listed yet', () => {
    render(null);
    expect(labels().map(l => l.disabled)).toEqual([true, true]);
  });
});
