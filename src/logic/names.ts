/**
 * Names of experiments and endpoints: SageMaker's rules (the server enforces the
 * same), what is wrong with a name, and free names to suggest.
 */
import { Trans, identityTrans } from './trans';

/** SageMaker's rule for AutoML job names (the server enforces the same). */
export const EXPERIMENT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/;

/** SageMaker's rule for endpoint names. */
export const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Why a name breaks SageMaker's rule, or null when it is valid. */
export function nameProblem(
  name: string,
  maxLength: number,
  what: string,
  trans: Trans = identityTrans
): string | null {
  const pattern =
    maxLength === 32 ? EXPERIMENT_NAME_PATTERN : ENDPOINT_NAME_PATTERN;
  if (!name) {
    return trans.__('Enter a name for the %1.', what);
  }
  if (name.length > maxLength) {
    return trans.__('%1 characters; the limit is %2.', name.length, maxLength);
  }
  const bad = Array.from(new Set(name.replace(/[a-zA-Z0-9-]/g, '').split('')));
  if (bad.length) {
    return trans.__(
      'Only ASCII letters, digits and hyphens are allowed (not %1).',
      bad.map(c => (c === ' ' ? trans.__('spaces') : `"${c}"`)).join(' ')
    );
  }
  if (!pattern.test(name)) {
    return trans.__('Start and end with a letter or a digit.');
  }
  return null;
}

/** A valid experiment name derived from a file name, unique among `taken`. */
export function suggestExperimentName(
  path: string,
  taken: Iterable<string> = []
): string {
  const base = (path.split('/').pop() ?? '')
    .replace(/\.gz$/i, '')
    .replace(/\.(csv|tsv|txt|manifest)$/i, '');
  let name = base
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  if (!name) {
    name = 'experiment';
  }
  return uniqueName(name, new Set(taken), 32);
}

/** A valid endpoint name for an experiment, unique among `taken`. */
export function suggestEndpointName(
  experiment: string,
  taken: Iterable<string> = []
): string {
  return uniqueName(
    `${experiment}-endpoint`.slice(0, 63).replace(/-+$/, ''),
    new Set(taken),
    63
  );
}

/** `name`, or `name-2`, `name-3`... (shortened to fit `maxLength`). */
export function uniqueName(
  name: string,
  taken: Set<string>,
  maxLength: number
): string {
  if (!taken.has(name)) {
    return name;
  }
  for (let i = 2; i < 1000; i++) {
    const suffix = `-${i}`;
    const candidate =
      name.slice(0, maxLength - suffix.length).replace(/-+$/, '') + suffix;
    if (!taken.has(candidate)) {
      return candidate;
    }
  }
  return name;
}
