import { checkIcon, closeIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Stage } from '../api/types';
import { useNow, useTrans } from '../common/components';
import { formatDuration, formatPercent } from '../format';
import { stageElapsed, stageStatusLabel } from '../logic/stages';

/** The share of a running stage that is done (0..1), or null when unknown. */
export function stageProgress(stage: Stage): number | null {
  if (
    stage.status !== 'running' ||
    typeof stage.progress !== 'number' ||
    !isFinite(stage.progress)
  ) {
    return null;
  }
  return Math.max(0, Math.min(1, stage.progress));
}

/**
 * The four Autopilot stages as a horizontal tracker: status, elapsed time,
 * what the stage is doing, and on the running stage a determinate bar when the
 * engine reports progress (e.g. during Model Tuning), else an activity
 * animation (stopped when nothing runs, and for users who prefer reduced motion).
 */
export function StageTracker(props: {
  stages: readonly Stage[];
  live: boolean;
}): JSX.Element {
  const trans = useTrans();
  const running = props.stages.some(s => s.status === 'running');
  const now = useNow(running && props.live);
  return (
    <ol className="jp-Autopilot-stages" aria-label={trans.__('Stages')}>
      {props.stages.map((stage, i) => {
        const elapsed = stageElapsed(stage, now);
        const active = stage.status === 'running' && props.live;
        const progress = stageProgress(stage);
        const determinate = progress !== null;
        return (
          <li
            key={stage.name}
            className={`jp-Autopilot-stage jp-mod-${stage.status}${active ? ' jp-mod-active' : ''}${determinate ? ' jp-mod-determinate' : ''}`}
            data-stage={stage.name}
            data-status={stage.status}
            aria-current={stage.status === 'running' ? 'step' : undefined}
          >
            <div className="jp-Autopilot-stageHead">
              <span className="jp-Autopilot-stageIcon" aria-hidden="true">
                {stage.status === 'done' ? (
                  <checkIcon.react tag="span" />
                ) : stage.status === 'failed' ? (
                  <closeIcon.react tag="span" />
                ) : (
                  i + 1
                )}
              </span>
              <span className="jp-Autopilot-stageTitle">{stage.title}</span>
            </div>
            <div className="jp-Autopilot-stageStatus">
              <span className="jp-Autopilot-stageStatusText">
                {stageStatusLabel(stage.status, trans)}
                {determinate && (
                  <span className="jp-Autopilot-stagePercent">
                    {' '}
                    {formatPercent(progress)}
                  </span>
                )}
              </span>
              <span
                className="jp-Autopilot-stageElapsed"
                title={trans.__('Elapsed time')}
              >
                {elapsed !== null ? formatDuration(elapsed) : ''}
              </span>
            </div>
            {determinate ? (
              <div
                className="jp-Autopilot-stageBar"
                role="progressbar"
                aria-label={trans.__('%1 progress', stage.title)}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(progress * 100)}
              >
                <div
                  className="jp-Autopilot-stageBarFill"
                  style={{ width: `${progress * 100}%` }}
                />
              </div>
            ) : (
              <div className="jp-Autopilot-stageBar" aria-hidden="true">
                <div className="jp-Autopilot-stageBarFill" />
              </div>
            )}
            <div
              className="jp-Autopilot-stageMessage"
              title={stage.message ?? undefined}
            >
              {stage.message ?? ''}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
