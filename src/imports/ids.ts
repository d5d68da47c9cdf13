/**
 * The import dialog's element ids, and the spec fields whose server errors it
 * shows next to its own fields.
 */

/** Prefix of the dialog's element ids. */
export const ID = 'jp-autopilot-import';

/** ExperimentSpec fields whose server errors show under this dialog's own fields. */
export const SHOWN_FIELDS = new Set([
  'input_uri',
  'name',
  'max_job_runtime_seconds',
  'candidate_plan'
]);
