import type { ExperimentStatus } from '../../api/types';
import { canRerun, isExperimentActive, isExperimentRunning } from '../status';

const ALL: ExperimentStatus[] = [
  'Queued',
  'InProgress',
  'Stopping',
  'Completed',
  'Failed',
  'Stopped',
  'Interrupted'
];

describe('experiment statuses', () => {
  it('running is what a worker holds: in progress or stopping, not queued', () => {
    expect(ALL.filter(isExperimentRunning)).toEqual(['InProgress', 'Stopping']);
  });

  it('every running status is active, and queued is active but not running', () => {
    expect(ALL.filter(isExperimentActive)).toEqual([
      'Queued',
      'InProgress',
      'Stopping'
    ]);
    expect(ALL.filter(canRerun)).toEqual(['Failed', 'Stopped', 'Interrupted']);
  });
});
