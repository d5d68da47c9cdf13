/**
 * The local wizard's "Run on SageMaker": offered when the server has SageMaker too,
 * highlighted when the file is too big here; it maps the form with SageMaker's offer
 * and hands the sagemaker model and the transfer over. And the panel's backend choice.
 */
import * as React from 'react';
import { act } from 'react';

import { mountPoint } from '../../__tests__/dom';
import { BackendSelect } from '../../experiments/ExperimentsPanel';
import { AutopilotModel } from '../../model';
import { emptyForm } from '../form';
import { offersSageMaker, RunOnSageMaker } from '../RunOnSageMaker';
import { ITransfer } from '../transfer';

const dom = mountPoint();

const BOTH = [
  { name: 'local', default: true, usable: true, reason: null },
  { name: 'sagemaker', default: false, usable: true, reason: null }
];
const LOCAL = {
  backend: 'local',
  features: { s3: false },
  backends: BOTH
} as any;

/** A model whose sagemaker model answers `health` with SageMaker's offer. */
function models(): { local: AutopilotModel; sagemaker: AutopilotModel } {
  const sagemaker = {
    backend: 'sagemaker',
    health: async () => ({
      backend: 'sagemaker',
      features: { s3: true },
      defaults: {
        metrics_by_problem_type: { binary: ['F1', 'AUC'] },
        algorithms_by_training_mode: { ensembling: ['lightgbm'] }
      }
    })
  } as unknown as AutopilotModel;
  const local = {
    backend: null,
    forBackend: (name: string) => (name === 'sagemaker' ? sagemaker : local)
  } as unknown as AutopilotModel;
  return { local, sagemaker };
}

describe('offersSageMaker', () => {
  it('is a local backend on a server that also offers sagemaker', () => {
    expect(offersSageMaker(LOCAL)).toBe(true);
    expect(offersSageMaker({ ...LOCAL, backends: [BOTH[0]] })).toBe(false);
    expect(offersSageMaker({ ...LOCAL, backends: undefined })).toBe(false);
    expect(
      offersSageMaker({
        ...LOCAL,
        backend: 'sagemaker',
        features: { s3: true }
      })
    ).toBe(false);
  });
});

describe('RunOnSageMaker', () => {
  const form = emptyForm({
    input_uri: 'big.csv',
    target: 'y',
    name: 'big',
    objective_metric: 'LogLoss',
    training_mode: 'ensembling',
    algorithms: ['lightgbm', 'catboost']
  });

  it('explains itself when the file is too big here, and hands over the mapped form', async () => {
    const { local, sagemaker } = models();
    const moves: [AutopilotModel, ITransfer][] = [];
    dom.render(
      <RunOnSageMaker
        model={local}
        health={LOCAL}
        form={form}
        tooBig={true}
        disabled={false}
        onMove={(model, transfer) => moves.push([model, transfer])}
      />
    );
    expect(dom.container.textContent).toContain(
      'This file is too big for this machine'
    );
    const button = dom.container.querySelector('button') as HTMLButtonElement;
    expect(button.classList.contains('jp-Autopilot-primary')).toBe(true);
    await act(async () => button.click());
    expect(moves).toHaveLength(1);
    const [model, transfer] = moves[0];
    expect(model).toBe(sagemaker);
    expect(transfer.uploads).toEqual([{ field: 'input_uri', path: 'big.csv' }]);
    expect(transfer.form.algorithms).toEqual(['lightgbm']);
    expect(transfer.form.objective_metric).toBe('');
    expect(transfer.leftBehind.map(l => l.field)).toEqual([
      'objective_metric',
      'algorithms'
    ]);
  });

  it('is a plain button otherwise', () => {
    dom.render(
      <RunOnSageMaker
        model={models().local}
        health={LOCAL}
        form={form}
        tooBig={false}
        disabled={false}
        onMove={() => undefined}
      />
    );
    expect(dom.container.textContent).not.toContain('too big');
    const button = dom.container.querySelector('button') as HTMLButtonElement;
    expect(button.textContent).toContain('Run on SageMaker');
    expect(button.classList.contains('jp-Autopilot-primary')).toBe(false);
  });
});

describe('BackendSelect', () => {
  it('lists the backends (saying which is not usable) and selects one', () => {
    const chosen: string[] = [];
    dom.render(
      <BackendSelect
        choice={{
          backends: [
            BOTH[0],
            { ...BOTH[1], usable: false, reason: 'no AWS credentials.' }
          ],
          selected: 'local',
          onSelect: name => chosen.push(name)
        }}
      />
    );
    const select = dom.container.querySelector('select') as HTMLSelectElement;
    expect(select.getAttribute('aria-label')).toBe('Backend');
    expect(Array.from(select.options).map(o => o.textContent)).toEqual([
      'Local',
      'SageMaker (not usable)'
    ]);
    act(() => {
      select.value = 'sagemaker';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(chosen).toEqual(['sagemaker']);
  });
});
