/**
 * The trials view's body: filters, status line, the table, the comparison and
 * the charts, over the data the view loaded.
 */
import type { Contents } from '@jupyterlab/services';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Trial } from '../api/types';
import {
  ErrorMessage,
  Loading,
  Notice,
  Section,
  Spinner,
  useTrans
} from '../common/components';
import { IAutopilotActions } from '../model';
import { ComparePane } from './ComparePane';
import { EmptyTrials } from './EmptyTrials';
import { DEFAULT_TRIALS_FILTER } from './filtering';
import { experimentRunning, ITrialsData, MAX_TRIALS } from './loading';
import { trialKey } from './trial';
import { TrialCharts } from './TrialCharts';
import { TrialsFilters } from './TrialsFilters';
import { CsvExportResult, TrialsHeader } from './TrialsHeader';
import { TrialsTable } from './TrialsTable';
import { useCsvExport } from './useCsvExport';
import { PAGE_SIZE, useTrialsTable } from './useTrialsTable';

/** The body of the trials view over the data it loaded. */
export function TrialsBody(props: {
  data: ITrialsData;
  actions: IAutopilotActions;
  contents: Contents.IManager;
  onRefresh: () => void;
}): JSX.Element {
  const trans = useTrans();
  const { data, actions } = props;
  const all = React.useMemo(() => data.trials ?? [], [data.trials]);
  const experiments = React.useMemo(
    () => data.experiments ?? [],
    [data.experiments]
  );
  const table = useTrialsTable(all, experiments);
  const { filter, rows, filtered, choices } = table;
  const [selected, setSelected] = React.useState<string[]>([]);
  const [comparing, setComparing] = React.useState(false);
  const { exported, exportCsv, dismiss } = useCsvExport(props.contents);
  const compareRef = React.useRef<HTMLHeadingElement>(null);

  const byKey = React.useMemo(
    () => new Map(all.map(t => [trialKey(t), t])),
    [all]
  );
  const selectedTrials = selected
    .map(key => byKey.get(key))
    .filter((t): t is Trial => !!t);
  const selectedSet = React.useMemo(() => new Set(selected), [selected]);
  const running = experiments.filter(experimentRunning);

  const toggle = (key: string, on: boolean) =>
    setSelected(list =>
      on ? [...list.filter(k => k !== key), key] : list.filter(k => k !== key)
    );
  const visibleKeys = rows.map(trialKey);
  const allVisibleSelected =
    visibleKeys.length > 0 && visibleKeys.every(k => selectedSet.has(k));
  const someVisibleSelected = visibleKeys.some(k => selectedSet.has(k));

  const compare = () => {
    setComparing(true);
    // Once the pane is rendered, take the user (and the focus) there.
    window.requestAnimationFrame(() => {
      compareRef.current?.scrollIntoView?.({ block: 'start' });
      compareRef.current?.focus();
    });
  };

  if (data.trials === null) {
    return (
      <div className="jp-Autopilot-viewBody">
        <TrialsHeader
          onRefresh={props.onRefresh}
          onExport={() => void exportCsv(rows)}
          exportDisabled
          exporting={false}
        />
        {data.error ? (
          <ErrorMessage
            error={data.error}
            title={trans.__('Cannot load the trials.')}
            onRetry={props.onRefresh}
          />
        ) : (
          <Loading
            label={trans.__('Loading the trials of every experiment…')}
          />
        )}
      </div>
    );
  }

  return (
    <div className="jp-Autopilot-viewBody">
      <TrialsHeader
        onRefresh={props.onRefresh}
        onExport={() => void exportCsv(rows)}
        exportDisabled={rows.length === 0 || exported.busy}
        exporting={exported.busy}
      />
      {all.length > 0 && (
        <TrialsFilters
          filter={filter}
          onChange={table.updateFilter}
          experiments={choices.experiments}
          algorithms={choices.algorithms}
          showHyperparameters={table.showHyperparameters}
          onShowHyperparameters={table.setShowHyperparameters}
        />
      )}
      <div className="jp-Autopilot-statusLine" role="status" aria-live="polite">
        {all.length > 0 && (
          <span data-testid="trials-count">
            {filtered.length === all.length
              ? trans._n('%1 trial', '%1 trials', all.length)
              : trans.__('%1 of %2 trials', filtered.length, all.length)}
            {' · '}
            {trans._n(
              '%1 experiment',
              '%1 experiments',
              new Set(filtered.map(t => t.experiment)).size
            )}
          </span>
        )}
        {running.length > 0 && (
          <span className="jp-Autopilot-muted">
            <Spinner />{' '}
            {trans._n(
              '%1 experiment running: updating live',
              '%1 experiments running: updating live',
              running.length
            )}
          </span>
        )}
      </div>
      {data.truncated && (
        <Notice kind="warning">
          {trans.__(
            'Only the first %1 trials are listed. Clean up old experiments to see the others.',
            MAX_TRIALS
          )}
        </Notice>
      )}
      <ErrorMessage
        error={data.error}
        title={trans.__('Cannot refresh:')}
        onRetry={props.onRefresh}
      />
      <CsvExportResult
        exported={exported}
        onOpen={path => void actions.openPath(path)}
        onDismiss={dismiss}
      />

      {all.length === 0 ? (
        <EmptyTrials
          experiments={experiments}
          running={running.length > 0}
          onCreate={() => actions.createExperiment()}
        />
      ) : (
        <>
          <Section
            title={trans.__('Trials')}
            id="jp-autopilot-trials-table"
            actions={
              <>
                {selected.length > 0 && (
                  <span className="jp-Autopilot-muted">
                    {trans._n(
                      '%1 selected',
                      '%1 selected',
                      selectedTrials.length
                    )}
                  </span>
                )}
                <Button
                  small
                  className="jp-Autopilot-primary"
                  disabled={selectedTrials.length < 2}
                  title={
                    selectedTrials.length < 2
                      ? trans.__(
                          'Tick two or more trials to compare them side by side'
                        )
                      : trans.__('Compare the selected trials side by side')
                  }
                  onClick={compare}
                >
                  {trans.__('Compare')}
                </Button>
                {selected.length > 0 && (
                  <Button small minimal onClick={() => setSelected([])}>
                    {trans.__('Clear selection')}
                  </Button>
                )}
              </>
            }
          >
            {rows.length === 0 ? (
              <div className="jp-AutopilotTrials-empty">
                <p>{trans.__('No trial matches the filters.')}</p>
                <Button
                  small
                  onClick={() => table.updateFilter(DEFAULT_TRIALS_FILTER)}
                >
                  {trans.__('Clear filters')}
                </Button>
              </div>
            ) : (
              <TrialsTable
                rows={rows.slice(0, table.shown)}
                columns={table.columns}
                sort={table.sort}
                onSort={table.sortBy}
                best={table.best}
                selected={selectedSet}
                onToggle={toggle}
                allSelected={allVisibleSelected}
                someSelected={someVisibleSelected}
                onToggleAll={on =>
                  setSelected(list =>
                    on
                      ? [...list, ...visibleKeys.filter(k => !list.includes(k))]
                      : list.filter(k => !visibleKeys.includes(k))
                  )
                }
                onOpenExperiment={name => actions.openExperiment(name)}
              />
            )}
            {rows.length > table.shown && (
              <div className="jp-AutopilotTrials-more">
                <span className="jp-Autopilot-muted">
                  {trans.__(
                    'Showing %1 of %2 trials.',
                    table.shown,
                    rows.length
                  )}
                </span>
                <Button small onClick={() => table.showMore()}>
                  {trans.__('Show %1 more', PAGE_SIZE)}
                </Button>
              </div>
            )}
          </Section>

          {comparing && (
            <ComparePane
              trials={selectedTrials}
              headingRef={compareRef}
              onRemove={key => toggle(key, false)}
              onClose={() => setComparing(false)}
            />
          )}

          <TrialCharts
            trials={filtered}
            experiments={choices.experiments}
            selected={selectedSet}
          />
        </>
      )}
    </div>
  );
}
