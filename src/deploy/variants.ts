/**
 * Production variants (SageMaker's traffic split): several candidates behind one
 * endpoint, each with a weight. Shares, weight validation, the best value of each
 * metric, promotion, the deploy dialog's variant rows, and which backend features
 * exist (variants, exports, deploying an export).
 *
 * Pure functions (no React, no requests) so that jest covers them fully.
 */
import type { Candidate, ProductionVariant, VariantSpec } from '../api/types';
import { bestFlags, isMaximized } from '../logic/metrics';
import { uniqueName } from '../logic/names';
import { identityTrans, Trans } from '../logic/trans';

/** A split endpoint serves 2 to 5 variants (the server's limits). */
export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 5;
/** Largest weight the server accepts (SageMaker's variant weight range). */
export const MAX_WEIGHT = 1000;
/** The weight each variant gets by default in the deploy dialog (50/50). */
export const DEFAULT_VARIANT_WEIGHT = '50';
/** The server's (and SageMaker's) variant name rule. */
export const VARIANT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

// Shares and weights ----------------------------------------------------------------

/** Each weight's share of the sum (all 0 when the sum is not positive). */
export function trafficShares(weights: readonly number[]): number[] {
  const clean = weights.map(w => (isFinite(w) && w > 0 ? w : 0));
  const total = clean.reduce((sum, w) => sum + w, 0);
  return clean.map(w => (total > 0 ? w / total : 0));
}

/** A weight as the form shows it: "1", "0.5", "50". */
export function formatWeight(weight: number): string {
  return isFinite(weight) ? String(Number(weight.toFixed(4))) : '';
}

/** A weight typed by the user, or an error message. */
export function parseWeight(
  text: string,
  trans: Trans = identityTrans
): { value: number | null; error: string | null } {
  const trimmed = text.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (!isFinite(value) || value < 0 || value > MAX_WEIGHT) {
    return {
      value: null,
      error: trans.__('Enter a weight from 0 to %1.', MAX_WEIGHT)
    };
  }
  return { value, error: null };
}

/** The problem when no weight is above 0 (no variant would get traffic). */
export function allZeroMessage(trans: Trans = identityTrans): string {
  return trans.__(
    'At least one variant needs a weight above 0 to get traffic.'
  );
}

/** The weights form of an endpoint: variant name -> weight as text. */
export function weightsForm(
  variants: readonly Pick<ProductionVariant, 'name' | 'weight'>[]
): Record<string, string> {
  return Object.fromEntries(
    variants.map(v => [v.name, formatWeight(v.weight)])
  );
}

/** The weights form checked: the TrafficUpdate weights, or what to fix. */
export function validateWeights(
  form: Record<string, string>,
  trans: Trans = identityTrans
): {
  weights: Record<string, number> | null;
  errors: Record<string, string>;
  problem: string | null;
} {
  const weights: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const [name, text] of Object.entries(form)) {
    const { value, error } = parseWeight(text, trans);
    if (error !== null || value === null) {
      errors[name] = error ?? '';
    } else {
      weights[name] = value;
    }
  }
  if (Object.keys(errors).length) {
    const names = Object.keys(errors);
    return {
      weights: null,
      errors,
      problem: trans.__('%1: %2', names.join(', '), errors[names[0]])
    };
  }
  if (!Object.values(weights).some(w => w > 0)) {
    return { weights: null, errors, problem: allZeroMessage(trans) };
  }
  return { weights, errors, problem: null };
}

/** Whether the form differs from the endpoint's current weights. */
export function isWeightsChanged(
  form: Record<string, string>,
  variants: readonly Pick<ProductionVariant, 'name' | 'weight'>[]
): boolean {
  return variants.some(v => {
    const text = form[v.name];
    if (text === undefined) {
      return false;
    }
    const value = Number(text.trim());
    return text.trim() === '' || !isFinite(value) || value !== v.weight;
  });
}

/**
 * The share each variant would get with the weights of the form (all null while a
 * weight is not a valid number, or when no weight is above 0).
 */
export function formShares(
  form: Record<string, string>,
  variants: readonly Pick<ProductionVariant, 'name'>[]
): Record<string, number | null> {
  const shares = sharesOf(variants.map(v => form[v.name] ?? ''));
  return Object.fromEntries(variants.map((v, i) => [v.name, shares[i]]));
}

/** Shares of weights typed as text (all null if one is invalid or all are 0). */
function sharesOf(texts: readonly string[]): Array<number | null> {
  const parsed = texts.map(text => parseWeight(text).value);
  if (parsed.some(v => v === null)) {
    return parsed.map(() => null);
  }
  const values = parsed as number[];
  if (!values.some(v => v > 0)) {
    return values.map(() => null);
  }
  return trafficShares(values);
}

/** Weights that send all traffic to `name` (1) and none to the others (0). */
export function promoteWeights(
  variants: readonly Pick<ProductionVariant, 'name'>[],
  name: string
): Record<string, number> {
  return Object.fromEntries(
    variants.map(v => [v.name, v.name === name ? 1 : 0])
  );
}

/** Whether `name` already gets all the traffic. */
export function isPromoted(
  variants: readonly Pick<ProductionVariant, 'name' | 'weight'>[],
  name: string
): boolean {
  const target = variants.find(v => v.name === name);
  return (
    !!target &&
    target.weight > 0 &&
    variants.every(v => v.name === name || !(v.weight > 0))
  );
}

// Metrics side by side --------------------------------------------------------------

/** Metric names of the variants: the objective first, then alphabetical. */
export function variantMetricNames(
  variants: readonly Pick<ProductionVariant, 'metrics'>[],
  objectiveMetric?: string | null
): string[] {
  const names = new Set<string>();
  for (const v of variants) {
    for (const key of Object.keys(v.metrics ?? {})) {
      names.add(key);
    }
  }
  return Array.from(names).sort((a, b) =>
    a === objectiveMetric ? -1 : b === objectiveMetric ? 1 : a.localeCompare(b)
  );
}

/** Per metric (and `objective`), which variants have the best value. */
export function bestVariantMetrics(
  variants: readonly Pick<ProductionVariant, 'metrics' | 'objective_value'>[],
  objectiveMetric?: string | null
): { objective: boolean[]; metrics: Record<string, boolean[]> } {
  const metrics: Record<string, boolean[]> = {};
  for (const name of variantMetricNames(variants, objectiveMetric)) {
    metrics[name] = bestFlags(
      variants.map(v => v.metrics?.[name] ?? null),
      isMaximized(name)
    );
  }
  return {
    objective: bestFlags(
      variants.map(v => v.objective_value),
      isMaximized(objectiveMetric)
    ),
    metrics
  };
}

// The deploy dialog's variants --------------------------------------------------------

/** One row of the deploy dialog's traffic split: weight and name stay text. */
export interface IVariantPick {
  candidate: string;
  weight: string;
  name: string;
}

/** The default name of the variant in row `index` (0-based): variant-1, variant-2... */
export function defaultVariantName(index: number): string {
  return `variant-${index + 1}`;
}

/** Completed candidates that kept a model, best first (by rank, then as listed). */
export function rankedCandidates(
  candidates: readonly Candidate[]
): Candidate[] {
  return candidates
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.status === 'Completed' && c.deployable)
    .sort(
      (a, b) =>
        Number(b.c.is_best) - Number(a.c.is_best) ||
        (a.c.rank ?? Infinity) - (b.c.rank ?? Infinity) ||
        a.i - b.i
    )
    .map(({ c }) => c);
}

/**
 * The split the deploy dialog starts with: `first` (default: the best candidate)
 * and the best-ranked other deployable candidate, 50/50, named variant-1 and -2.
 */
export function defaultVariantPicks(
  candidates: readonly Candidate[],
  first?: string
): IVariantPick[] {
  const ranked = rankedCandidates(candidates);
  const lead = ranked.find(c => c.name === first) ?? ranked[0];
  const picks: IVariantPick[] = [];
  if (lead) {
    picks.push({
      candidate: lead.name,
      weight: DEFAULT_VARIANT_WEIGHT,
      name: defaultVariantName(0)
    });
  }
  const next = ranked.find(c => c.name !== lead?.name);
  if (next) {
    picks.push({
      candidate: next.name,
      weight: DEFAULT_VARIANT_WEIGHT,
      name: defaultVariantName(1)
    });
  }
  return picks;
}

/** The picks with one more row: the best-ranked candidate not picked yet. */
export function addVariantPick(
  picks: readonly IVariantPick[],
  candidates: readonly Candidate[]
): IVariantPick[] {
  if (picks.length >= MAX_VARIANTS) {
    return [...picks];
  }
  const used = new Set(picks.map(p => p.candidate));
  const ranked = rankedCandidates(candidates);
  const next = ranked.find(c => !used.has(c.name)) ?? ranked[0];
  const names = new Set(picks.map(p => p.name.trim()));
  let index = picks.length;
  while (names.has(defaultVariantName(index))) {
    index++;
  }
  return [
    ...picks,
    {
      candidate: next?.name ?? '',
      weight: DEFAULT_VARIANT_WEIGHT,
      name: defaultVariantName(index)
    }
  ];
}

/** The picks without row `index`. */
export function removeVariantPick(
  picks: readonly IVariantPick[],
  index: number
): IVariantPick[] {
  return picks.filter((_, i) => i !== index);
}

/**
 * The picks checked: the deploy request's `variants`, or an error per field
 * (`variants` for the whole split, `variants.<i>.candidate|weight|name` per row).
 */
export function variantSpecs(
  picks: readonly IVariantPick[],
  trans: Trans = identityTrans
): { variants: VariantSpec[] | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (picks.length < MIN_VARIANTS || picks.length > MAX_VARIANTS) {
    errors.variants = trans.__(
      'Split the traffic between %1 and %2 candidates.',
      MIN_VARIANTS,
      MAX_VARIANTS
    );
  }
  const weights: number[] = [];
  const seenCandidates = new Map<string, number>();
  const seenNames = new Map<string, number>();
  picks.forEach((pick, i) => {
    if (!pick.candidate) {
      errors[`variants.${i}.candidate`] = trans.__('Choose a candidate.');
    } else if (seenCandidates.has(pick.candidate)) {
      errors[`variants.${i}.candidate`] = trans.__(
        '%1 is already variant %2; pick each candidate once.',
        pick.candidate,
        (seenCandidates.get(pick.candidate) ?? 0) + 1
      );
    } else {
      seenCandidates.set(pick.candidate, i);
    }
    const { value, error } = parseWeight(pick.weight, trans);
    if (error) {
      errors[`variants.${i}.weight`] = error;
    }
    weights.push(value ?? 0);
    const name = pick.name.trim() || defaultVariantName(i);
    if (name.length > 63) {
      errors[`variants.${i}.name`] = trans.__(
        '%1 characters; the limit is %2.',
        name.length,
        63
      );
    } else if (!VARIANT_NAME_PATTERN.test(name)) {
      errors[`variants.${i}.name`] = trans.__(
        'Letters, digits and hyphens, starting and ending with a letter or a digit.'
      );
    } else if (seenNames.has(name)) {
      errors[`variants.${i}.name`] = trans.__(
        'Another variant is called %1; names must be unique.',
        name
      );
    } else {
      seenNames.set(name, i);
    }
  });
  const weightErrors = picks.some((_, i) => errors[`variants.${i}.weight`]);
  if (!errors.variants && !weightErrors && !weights.some(w => w > 0)) {
    errors.variants = allZeroMessage(trans);
  }
  if (Object.keys(errors).length) {
    return { variants: null, errors };
  }
  return {
    variants: picks.map((pick, i) => ({
      candidate: pick.candidate,
      weight: weights[i],
      name: pick.name.trim() || defaultVariantName(i)
    })),
    errors
  };
}

/** The share each row would get (null where a weight is invalid or all are 0). */
export function pickShares(
  picks: readonly IVariantPick[]
): Array<number | null> {
  return sharesOf(picks.map(p => p.weight));
}

// Deploying an exported model (sagemaker backend) ---------------------------------------

/** What is wrong with an artifact path or S3 URI, or null. */
export function artifactProblem(
  artifact: string,
  trans: Trans = identityTrans
): string | null {
  const value = artifact.trim();
  if (!value) {
    return trans.__(
      'Enter the path of a model.tar.gz under the Jupyter root, or an s3:// URI.'
    );
  }
  if (/\s/.test(value)) {
    return trans.__('The path cannot contain spaces or line breaks.');
  }
  if (value.startsWith('s3://')) {
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/.test(value)) {
      return trans.__('An S3 URI looks like s3://bucket/path/model.tar.gz.');
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return trans.__('Only paths under the Jupyter root and s3:// URIs work.');
  } else if (value.startsWith('/') || value.split('/').includes('..')) {
    return trans.__(
      'Enter a path relative to the Jupyter root (no leading / or ..).'
    );
  }
  if (!value.endsWith('.tar.gz')) {
    return trans.__(
      'SageMaker reads model.tar.gz archives (as Export for SageMaker writes them).'
    );
  }
  return null;
}

/**
 * An endpoint name for an exported model: the folder it was exported to (the
 * candidate's name for the default export path), then `-endpoint`, free of `taken`.
 */
export function artifactEndpointName(
  artifact: string,
  taken: Iterable<string> = []
): string {
  const parts = artifact
    .trim()
    .replace(/^s3:\/\/[^/]*\/?/, '')
    .split('/')
    .filter(Boolean);
  const file = parts.pop() ?? '';
  const base =
    (file === 'model.tar.gz' ? parts.pop() : file.replace(/\.tar\.gz$/, '')) ??
    '';
  const clean = base
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return uniqueName(
    `${clean || 'exported-model'}-endpoint`,
    new Set(taken),
    63
  );
}
