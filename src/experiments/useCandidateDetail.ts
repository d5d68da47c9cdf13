/**
 * The experiment view's selected candidate and its details: the best one until
 * the user picks another, its details loaded (again once it or the experiment
 * finishes), the last answer kept on screen while a newer one loads.
 */
import * as React from 'react';

import type { Candidate, CandidateDetail } from '../api/types';
import { bestCandidate } from '../logic/sorting';
import { AutopilotModel } from '../model';

/** Selection and details of the candidates of `experiment`. */
export function useCandidateDetail(options: {
  model: AutopilotModel;
  experiment: string;
  candidates: Candidate[] | null;
  /** What changes when reports may have been written ('running' or the status). */
  phase: string;
}): {
  selected: string | null;
  selectedCandidate: Candidate | undefined;
  /** The user picks a candidate (the best one is no longer followed). */
  select: (name: string) => void;
  detail: CandidateDetail | undefined;
  error: unknown;
  /** Forget the selection and every loaded detail (after a re-run). */
  reset: () => void;
} {
  const { model, experiment, candidates, phase } = options;
  const [selected, setSelected] = React.useState<string | null>(null);
  const [userSelected, setUserSelected] = React.useState(false);
  const [details, setDetails] = React.useState<Record<string, CandidateDetail>>(
    {}
  );
  const [error, setError] = React.useState<unknown>(null);

  // Select the best candidate until the user picks one.
  const best = candidates ? bestCandidate(candidates) : undefined;
  const bestName = best?.name;
  React.useEffect(() => {
    if (!userSelected && bestName !== undefined) {
      setSelected(bestName);
    }
  }, [bestName, userSelected]);

  // Load the selected candidate's details (again once it completes), and again
  // once the experiment ends too: reports and insights (SageMaker's
  // explainability report) are written after the candidates complete.
  const selectedCandidate = candidates?.find(c => c.name === selected);
  const detailKey = selectedCandidate
    ? `${selectedCandidate.name}:${selectedCandidate.status}:${phase}`
    : '';
  const candidateName = selectedCandidate?.name;
  const loaded = detailKey !== '' && details[detailKey] !== undefined;
  React.useEffect(() => {
    if (candidateName === undefined || loaded) {
      return;
    }
    let cancelled = false;
    setError(null);
    model.client.getCandidate(experiment, candidateName).then(
      detail => {
        if (!cancelled) {
          setDetails(d => ({ ...d, [detailKey]: detail }));
        }
      },
      error => {
        if (!cancelled) {
          setError(error);
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [model, experiment, candidateName, detailKey, loaded]);

  // While a newer answer loads, keep showing the last one of this candidate.
  const detail = selectedCandidate
    ? (details[detailKey] ??
      Object.entries(details).find(([key]) =>
        key.startsWith(`${selectedCandidate.name}:`)
      )?.[1])
    : undefined;

  const select = React.useCallback((name: string) => {
    setSelected(name);
    setUserSelected(true);
  }, []);
  const reset = React.useCallback(() => {
    setDetails({});
    setUserSelected(false);
    setSelected(null);
  }, []);
  return { selected, selectedCandidate, select, detail, error, reset };
}
