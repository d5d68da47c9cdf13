import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import { errorFromResponse } from '../../api/request';
import { DataChecks } from '../DataChecks';

const dom = mountPoint();

describe('DataChecks', () => {
  const leak = {
    code: 'post_outcome_feature',
    severity: 'warning' as const,
    column: 'duration',
    message: 'duration is known only after the call.',
    suggestion: 'Exclude duration.'
  };
  const note = {
    code: 'class_imbalance',
    severity: 'info' as const,
    column: 'y',
    message: 'The classes are imbalanced.',
    suggestion: null
  };

  it('lists column warnings with one-click exclusion, and notes', () => {
    const exclude = jest.fn();
    dom.render(
      <DataChecks
        status="done"
        columnWarnings={[leak]}
        notes={[note]}
        onExclude={exclude}
        backend="local"
        name={{ name: 'tutorial', available: false }}
      />
    );
    const region = dom.container.querySelector('[aria-label="Data checks"]');
    expect(region?.textContent).toContain('Check 1 column before you start:');
    expect(region?.textContent).toContain('The name tutorial is taken');
    expect(
      dom.container.querySelector('[aria-label="Notes about the data"]')
        ?.textContent
    ).toContain('imbalanced');
    const button = dom.container.querySelector(
      '[data-column="duration"] button'
    ) as HTMLButtonElement;
    expect(button.textContent).toBe('Exclude duration');
    act(() => button.click());
    expect(exclude).toHaveBeenCalledWith('duration');
  });

  it('says what it is doing, or that the backend checks later', () => {
    dom.render(
      <DataChecks
        status="checking"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
      />
    );
    expect(dom.container.textContent).toContain('Checking the data…');
    expect(dom.container.querySelector('[aria-busy="true"]')).not.toBeNull();
    dom.render(
      <DataChecks
        status="done"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
        name={{ name: 'tutorial', available: true }}
      />
    );
    expect(dom.container.textContent).toContain(
      'No problems found in the data.'
    );
    expect(dom.container.textContent).toContain(
      'The name tutorial is available.'
    );
    dom.render(
      <DataChecks
        status="unsupported"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="sagemaker"
      />
    );
    expect(dom.container.textContent).toContain(
      'The sagemaker backend checks the data when the experiment starts'
    );
    dom.render(
      <DataChecks
        status="idle"
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
      />
    );
    expect(dom.container.innerHTML).toBe('');
  });

  it('shows why creating would fail', () => {
    const error = errorFromResponse(
      400,
      JSON.stringify({
        error: 'invalid_dataset',
        message: "The target column 'nope' is not a column of the file."
      })
    );
    dom.render(
      <DataChecks
        status="failed"
        error={error}
        columnWarnings={[]}
        notes={[]}
        onExclude={jest.fn()}
        backend="local"
      />
    );
    expect(
      dom.container.querySelector('[role="alert"]')?.textContent
    ).toContain(
      "Creating this experiment would fail: The target column 'nope'"
    );
  });
});
