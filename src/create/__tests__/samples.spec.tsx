import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import type { SampleCopy, SampleDataset } from '../../api/types';
import { TryTutorial } from '../../experiments/ExperimentsPanel';
import {
  copiedMessage,
  initialStep,
  licenseLabel,
  sampleStart,
  TUTORIAL_SAMPLE
} from '../samples';

const trans = nullTranslator.load('jupyter_autopilot');

function bank(): SampleDataset {
  return {
    name: TUTORIAL_SAMPLE,
    title: 'Bank marketing (the tutorial’s data)',
    description: '41,188 phone calls.',
    file_name: 'bank-additional-full.csv',
    default_folder: 'bank-additional',
    size_bytes: 5834924,
    rows: 41188,
    columns: 21,
    delimiter: ';',
    target: 'y',
    problem_type: 'binary',
    suggested_exclusions: [
      { column: 'duration', reason: 'Known only after the call.' }
    ],
    source: 'UCI Machine Learning Repository, "Bank Marketing"',
    source_url: 'https://doi.org/10.24432/C5K306',
    license: 'CC-BY-4.0',
    license_url: 'https://creativecommons.org/licenses/by/4.0/',
    citation: 'S. Moro, P. Cortez and P. Rita, 2014.'
  };
}

function copy(partial: Partial<SampleCopy> = {}): SampleCopy {
  return {
    path: 'bank-additional/bank-additional-full.csv',
    created: true,
    size_bytes: 5834924,
    sample: bank(),
    ...partial
  };
}

describe('sampleStart', () => {
  it('opens the wizard on the copy with the sample’s target', () => {
    const start = sampleStart(copy({ path: 'x/bank-additional-full (1).csv' }));
    expect(start.path).toBe('x/bank-additional-full (1).csv');
    expect(start.target).toBe('y');
    expect(start.sample.name).toBe('bank-marketing');
  });
});

describe('initialStep', () => {
  it('goes to the target step, where the leakage check runs', () => {
    expect(initialStep({ path: 'a.csv', target: 'y' }, false)).toBe('target');
  });

  it('stays on the data step to upload to S3 first', () => {
    expect(initialStep({ path: 'a.csv', target: 'y' }, true)).toBe('data');
  });

  it('stays on the data step without a file or a target', () => {
    expect(initialStep({ path: 'a.csv' }, false)).toBe('data');
    expect(initialStep({ target: 'y' }, false)).toBe('data');
    expect(initialStep({}, false)).toBe('data');
  });
});

describe('messages', () => {
  it('says whether the file was written or reused', () => {
    expect(copiedMessage(copy(), trans)).toBe(
      'Copied the tutorial data to bank-additional/bank-additional-full.csv.'
    );
    expect(copiedMessage(copy({ created: false }), trans)).toBe(
      'Using bank-additional/bank-additional-full.csv: an identical copy was already there.'
    );
  });

  it('writes Creative Commons licences as people do', () => {
    expect(licenseLabel('CC-BY-4.0')).toBe('CC BY 4.0');
    expect(licenseLabel('MIT')).toBe('MIT');
  });
});

describe('TryTutorial', () => {
  const dom = mountPoint();

  it('starts the tutorial once, and again after it finished', async () => {
    let finish: () => void = () => undefined;
    const onTry = jest.fn(
      () => new Promise<void>(resolve => (finish = resolve))
    );
    act(() => dom.root.render(<TryTutorial onTry={onTry} />));
    const button = dom.container.querySelector('button') as HTMLButtonElement;
    expect(button.textContent).toContain('Try the tutorial (bank marketing)');

    act(() => button.click());
    expect(onTry).toHaveBeenCalledTimes(1);
    // Busy until the wizard is open: a second click does nothing.
    expect(button.disabled).toBe(true);
    act(() => button.click());
    expect(onTry).toHaveBeenCalledTimes(1);

    await act(async () => finish());
    expect(button.disabled).toBe(false);
    act(() => button.click());
    expect(onTry).toHaveBeenCalledTimes(2);
  });
});
