import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import { errorFromResponse } from '../../api/request';
import { ErrorMessage, Field, ProgressBar } from '../components';
import { DryRunRequests } from '../DryRunRequests';

const dom = mountPoint();

describe('ErrorMessage', () => {
  it('renders the server message as an alert, with a retry', () => {
    const retry = jest.fn();
    const error = errorFromResponse(
      501,
      JSON.stringify({
        error: 'not_implemented',
        message: 'The local backend does not support deploying models yet.'
      })
    );
    dom.render(
      <ErrorMessage error={error} title="Deploy failed." onRetry={retry} />
    );
    const alert = dom.container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain(
      'Deploy failed. The local backend does not support deploying models yet.'
    );
    act(() =>
      (dom.container.querySelector('button') as HTMLButtonElement).click()
    );
    expect(retry).toHaveBeenCalled();
  });

  it('renders nothing without an error', () => {
    dom.render(<ErrorMessage error={null} />);
    expect(dom.container.innerHTML).toBe('');
  });
});

describe('Field', () => {
  it('links label, help and error for assistive technology', () => {
    dom.render(
      <Field
        id="f"
        label="Experiment name"
        help="1-32 characters"
        error="Too long"
        required
      >
        <input id="f" />
      </Field>
    );
    expect(dom.container.querySelector('label')?.getAttribute('for')).toBe('f');
    expect(dom.container.querySelector('label')?.textContent).toBe(
      'Experiment name'
    );
    expect(dom.container.querySelector('#f-help')?.textContent).toBe(
      '1-32 characters'
    );
    expect(dom.container.querySelector('#f-error')?.textContent).toBe(
      'Too long'
    );
    expect(dom.container.querySelector('.jp-mod-invalid')).not.toBeNull();
  });
});

describe('ProgressBar', () => {
  it('reports its value, or none when indeterminate', () => {
    dom.render(<ProgressBar value={0.42} label="Rows" />);
    const bar = dom.container.querySelector('[role="progressbar"]');
    expect(bar?.getAttribute('aria-valuenow')).toBe('42');
    dom.render(<ProgressBar value={null} label="Rows" />);
    expect(
      dom.container
        .querySelector('[role="progressbar"]')
        ?.hasAttribute('aria-valuenow')
    ).toBe(false);
    expect(dom.container.querySelector('.jp-mod-indeterminate')).not.toBeNull();
  });
});

describe('DryRunRequests', () => {
  it('lists the requests not sent, the last one expanded', () => {
    dom.render(
      <DryRunRequests
        what="Creating this experiment"
        details={{
          dry_run: 'true',
          dry_run_requests: JSON.stringify([
            {
              service: 's3',
              operation: 'PutObject',
              params: { Bucket: 'b', Key: 'spec.json' }
            },
            {
              service: 'sagemaker',
              operation: 'CreateAutoMLJobV2',
              params: { AutoMLJobName: 'tutorial' }
            }
          ])
        }}
      />
    );
    const items = dom.container.querySelectorAll(
      '[aria-label="Requests not sent"] > li'
    );
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('s3 PutObject · s3://b/spec.json');
    expect(items[0].querySelector('details')?.open).toBe(false);
    expect(items[1].querySelector('details')?.open).toBe(true);
    expect(items[1].querySelector('pre')?.textContent).toBe(
      '{\n  "AutoMLJobName": "tutorial"\n}'
    );
    expect(dom.container.textContent).toContain(
      'Creating this experiment was checked against the AWS API but not sent'
    );
  });

  it('says so when the requests cannot be read', () => {
    dom.render(
      <DryRunRequests what="X" details={{ dry_run_requests: 'not json' }} />
    );
    expect(dom.container.textContent).toContain('cannot read');
  });
});
