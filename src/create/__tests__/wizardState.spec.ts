import { emptyForm, STEPS } from '../form';
import { isReachable } from '../validation';
import {
  formAfterPreview,
  initialWizardState,
  wizardReducer
} from '../wizardState';

const start = () =>
  initialWizardState(emptyForm({ input_uri: 'data.csv' }), 'data', false);

describe('the wizard state', () => {
  it('opens on a spec to re-create with every step attempted', () => {
    expect(initialWizardState(emptyForm(), 'review', true).attempted).toEqual(
      new Set(STEPS)
    );
    expect(start().attempted.size).toBe(0);
  });

  it('clears the server errors of the fields that change (VPC fields clear vpc_config)', () => {
    let state = wizardReducer(start(), {
      type: 'createFailed',
      error: new Error('400'),
      errors: { name: 'taken', vpc_config: 'both or neither', target: 'no' }
    });
    expect(state.creating).toBe(false);
    state = wizardReducer(state, {
      type: 'update',
      patch: { name: 'other', vpc_subnets: 'subnet-1' }
    });
    expect(state.form.name).toBe('other');
    expect(state.serverErrors).toEqual({ target: 'no' });
    // A change to a field without errors keeps the same errors object.
    const same = wizardReducer(state, {
      type: 'update',
      patch: { delimiter: ';' }
    });
    expect(same.serverErrors).toBe(state.serverErrors);
  });

  it('marks touched fields and attempted steps', () => {
    let state = wizardReducer(start(), { type: 'touch', field: 'name' });
    expect(wizardReducer(state, { type: 'touch', field: 'name' })).toBe(state);
    state = wizardReducer(state, { type: 'attempt', step: 'target' });
    expect([...state.attempted]).toEqual(['target']);
    state = wizardReducer(state, { type: 'attempt' });
    expect(state.attempted).toEqual(new Set(STEPS));
  });

  it('starts a create request with no error left from the last one', () => {
    let state = wizardReducer(start(), {
      type: 'createFailed',
      error: new Error('boom'),
      errors: { '': 'boom' }
    });
    state = wizardReducer(state, { type: 'createStarted' });
    expect(state).toMatchObject({
      creating: true,
      createError: null,
      serverErrors: {}
    });
    expect(wizardReducer(state, { type: 'created' }).creating).toBe(false);
  });

  it('drops a target and exclusions that are not in the previewed file, and names the experiment', () => {
    const form = {
      ...emptyForm(),
      target: 'gone',
      exclude_columns: ['a', 'gone-too']
    };
    const next = formAfterPreview(
      form,
      'dir/bank data.csv',
      ['a', 'y'],
      ['bank-data']
    );
    expect(next.target).toBe('');
    expect(next.exclude_columns).toEqual(['a']);
    expect(next.name).toBe('bank-data-2');
    // A name the user typed stays.
    expect(
      formAfterPreview({ ...form, name: 'mine' }, 'x.csv', ['a'], []).name
    ).toBe('mine');
  });

  it('opens earlier steps always, later ones once the steps before are valid', () => {
    expect(isReachable('data', 'review', { input_uri: 'bad' })).toBe(true);
    expect(isReachable('settings', 'data', {})).toBe(true);
    expect(isReachable('settings', 'data', { target: 'choose one' })).toBe(
      false
    );
    expect(isReachable('target', 'data', { target: 'choose one' })).toBe(true);
  });
});
