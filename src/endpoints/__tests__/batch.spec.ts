import { batchRequest } from '../predictions';

describe('batchRequest', () => {
  it('leaves the output to the server when blank and never overwrites by default', () => {
    expect(
      batchRequest({ input: ' data/rows.csv ', output: '  ', overwrite: false })
    ).toEqual({
      input_path: 'data/rows.csv',
      output_path: null,
      overwrite: false,
      inference_response_keys: null
    });
  });

  it('asks to replace an existing output only when ticked', () => {
    const request = batchRequest({
      input: 'rows.csv',
      output: 'out/scored.csv',
      overwrite: true
    });
    expect(request.output_path).toBe('out/scored.csv');
    expect(request.overwrite).toBe(true);
  });
});
