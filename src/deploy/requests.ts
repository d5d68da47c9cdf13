/**
 * The deploy forms as API requests: each form's fields checked and turned into a
 * DeployRequest or an ArtifactDeployRequest, or an error message per field. Pure
 * functions (no React, no requests).
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import type {
  ArtifactDeployRequest,
  DeployRequest,
  Health
} from '../api/types';
import { monitoringSupported, variantsSupported } from '../logic/features';
import { nameProblem } from '../logic/names';
import { deployExclusions } from './hosting';
import { artifactProblem, IVariantPick, variantSpecs } from './variants';

/** How an endpoint is hosted on SageMaker (ignored by the local backend). */
export interface IHostingForm {
  hosting: 'instance' | 'serverless';
  instanceType: string;
  instanceCount: string;
  memorySizeMb: string;
  maxConcurrency: string;
}

/** What the deploy form holds. */
export interface IDeployForm extends IHostingForm {
  candidate: string;
  endpointName: string;
  /** Record requests for monitoring (backends with monitoring only). */
  capture?: boolean;
  samplingPercentage?: string;
  /** Split traffic between candidates (production variants) instead of `candidate`. */
  split?: boolean;
  /** The variants when `split` (filled with defaults when first switched on). */
  variants?: IVariantPick[];
  /** The experiment ran in a VPC (its models cannot be served serverless). */
  inVpc?: boolean;
  /** SageMaker: configure Clarify online explainability (local endpoints always explain). */
  explain?: boolean;
  /** A forecaster: no Clarify explainer (its answer is quantiles, not a row's label). */
  forecaster?: boolean;
}

/** An endpoint name's problem (SageMaker's rule), in `errors.endpoint_name`. */
export function checkEndpointName(
  name: string,
  errors: Record<string, string>,
  trans: Pick<TranslationBundle, '__'>
): void {
  const nameError = nameProblem(name.trim(), 63, trans.__('endpoint'), trans);
  if (nameError) {
    errors.endpoint_name = nameError;
  }
}

/**
 * The hosting fields of a deploy request (instance type and count, or serverless);
 * problems go to `errors`. Without AWS (local backend): one local process.
 */
export function hostingRequest(
  form: IHostingForm,
  health: Pick<Health, 'features'>,
  trans: Pick<TranslationBundle, '__'>,
  errors: Record<string, string>
): Pick<DeployRequest, 'instance_type' | 'instance_count' | 'serverless'> {
  const aws = health.features.s3;
  let count = 1;
  if (aws && form.hosting === 'instance') {
    count = Number(form.instanceCount);
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      errors.instance_count = trans.__('Enter a whole number from 1 to 10.');
    }
    if (!form.instanceType) {
      errors.instance_type = trans.__('Choose an instance type.');
    }
  }
  let serverless: DeployRequest['serverless'] = null;
  if (aws && form.hosting === 'serverless') {
    const memory = Number(form.memorySizeMb);
    const concurrency = Number(form.maxConcurrency);
    if (![1024, 2048, 3072, 4096, 5120, 6144].includes(memory)) {
      errors.serverless = trans.__(
        'Memory is 1024 to 6144 MB, in steps of 1024.'
      );
    } else if (
      !Number.isInteger(concurrency) ||
      concurrency < 1 ||
      concurrency > 200
    ) {
      errors.serverless = trans.__(
        'Max concurrency is a whole number from 1 to 200.'
      );
    }
    serverless = { memory_size_mb: memory, max_concurrency: concurrency };
  }
  return {
    instance_type:
      aws && form.hosting === 'instance' ? form.instanceType : null,
    instance_count: aws && form.hosting === 'instance' ? count : 1,
    serverless
  };
}

/** The deploy request for a form, or an error message per field. */
export function deployRequest(
  form: IDeployForm,
  health: Pick<Health, 'features'>,
  trans: Pick<TranslationBundle, '__'>
): { request: DeployRequest | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  checkEndpointName(form.endpointName, errors, trans);
  const hosting = hostingRequest(form, health, trans, errors);
  // Options serverless endpoints exclude are off (and disabled in the form).
  const excluded = deployExclusions(
    hosting.serverless ? 'serverless' : 'instance',
    !!form.inVpc,
    trans
  );
  if (hosting.serverless && excluded.serverless) {
    errors.serverless = excluded.serverless;
  }
  let dataCapture: DeployRequest['data_capture'] = null;
  if (form.capture && monitoringSupported(health) && !excluded.capture) {
    const sampling = Number(form.samplingPercentage ?? '100');
    if (!Number.isInteger(sampling) || sampling < 1 || sampling > 100) {
      errors.data_capture = trans.__('Enter a whole percentage from 1 to 100.');
    }
    dataCapture = { enabled: true, sampling_percentage: sampling };
  }
  const split = !!form.split && variantsSupported(health) && !excluded.split;
  let variants: DeployRequest['variants'] = null;
  if (split) {
    const checked = variantSpecs(form.variants ?? [], trans);
    Object.assign(errors, checked.errors);
    variants = checked.variants;
  }
  // Local endpoints always explain; on SageMaker Clarify explains one model on instances.
  const explanations =
    !!form.explain && !!health.features.s3 && !form.forecaster;
  if (explanations && (split || hosting.serverless)) {
    errors.explanations = split
      ? trans.__('Explanations explain one model: deploy a single candidate.')
      : trans.__('Explanations need an instance type, not serverless hosting.');
  }
  if (Object.keys(errors).length) {
    return { request: null, errors };
  }
  const common = {
    endpoint_name: form.endpointName.trim(),
    ...hosting,
    // The server answers with what the candidate returns: label and probability for
    // classification, the predicted value for regression.
    inference_response_keys: null,
    data_capture: dataCapture,
    explanations
  };
  if (split) {
    // `variants` instead of `candidate`: the server refuses both.
    return {
      request: { ...common, variants } as Omit<
        DeployRequest,
        'candidate'
      > as DeployRequest,
      errors
    };
  }
  return {
    request: {
      candidate: form.candidate || null,
      ...common,
      variants: null
    },
    errors
  };
}

/**
 * The deploy dialog's traffic split: 2 to 5 rows of candidate, weight (with the
 * share it gives) and variant name.
 */

/** What the "Deploy exported model" form holds. */
export interface IArtifactForm extends IHostingForm {
  artifact: string;
  endpointName: string;
  /** Whether the user typed the endpoint name (else it follows the artifact). */
  nameEdited?: boolean;
  /** '' = SageMaker's scikit-learn image for the region. */
  imageUri: string;
}

/** The artifact deploy request for a form, or an error message per field. */
export function artifactDeployRequest(
  form: IArtifactForm,
  health: Pick<Health, 'features'>,
  trans: Pick<TranslationBundle, '__'>
): { request: ArtifactDeployRequest | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const artifact = artifactProblem(form.artifact, trans);
  if (artifact) {
    errors.artifact = artifact;
  }
  checkEndpointName(form.endpointName, errors, trans);
  const image = form.imageUri.trim();
  if (image && /\s/.test(image)) {
    errors.image_uri = trans.__('An image URI has no spaces.');
  }
  const hosting = hostingRequest(form, health, trans, errors);
  if (Object.keys(errors).length) {
    return { request: null, errors };
  }
  return {
    request: {
      artifact: form.artifact.trim(),
      endpoint_name: form.endpointName.trim(),
      image_uri: image || null,
      ...hosting,
      inference_response_keys: ['predicted_label', 'probability']
    },
    errors
  };
}
