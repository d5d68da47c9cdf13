import { ServerConnection } from '@jupyterlab/services';

import { AutopilotAPIError, errorFromResponse } from '../../api/request';
import {
  cleanPydanticMessage,
  errorMessage,
  fieldErrors,
  isNotFound,
  isNotImplemented,
  topLevelField
} from '../errors';
import { interpolate } from '../trans';

describe('errorMessage', () => {
  it('shows the server message of an API error', () => {
    const error = errorFromResponse(
      400,
      JSON.stringify({
        error: 'invalid_dataset',
        message: 'The file is empty.'
      })
    );
    expect(errorMessage(error)).toBe('The file is empty.');
  });

  it('shows the 501 message (backend lacks the feature)', () => {
    const error = errorFromResponse(
      501,
      JSON.stringify({
        error: 'not_implemented',
        message: 'The local backend does not support deploying models yet.'
      })
    );
    expect(isNotImplemented(error)).toBe(true);
    expect(errorMessage(error)).toMatch(/does not support deploying/);
  });

  it('explains a missing server extension (HTML 404)', () => {
    const error = errorFromResponse(404, '<html>Not Found</html>');
    expect(errorMessage(error)).toMatch(/server extension/);
    expect(isNotFound(error)).toBe(true);
  });

  it('explains an unreachable server', () => {
    const error = new ServerConnection.NetworkError(
      new TypeError('Failed to fetch')
    );
    expect(errorMessage(error)).toMatch(/Cannot reach the Jupyter server/);
  });

  it('falls back for other errors', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('Something went wrong.');
    const abort = new Error('aborted');
    abort.name = 'AbortError';
    expect(errorMessage(abort)).toBe('The request was cancelled.');
  });

  it('gives an HTTP status when the body says nothing', () => {
    expect(errorMessage(errorFromResponse(502, ''))).toBe(
      'The server answered HTTP 502.'
    );
  });
});

describe('fieldErrors', () => {
  it('maps pydantic details to top-level fields', () => {
    const error = new AutopilotAPIError(
      400,
      'validation_error',
      'Invalid request',
      [
        {
          field: 'name',
          message: "Value error, Experiment name 'a b' is not valid"
        },
        {
          field: 'vpc_config.subnets.0',
          message: 'String should match pattern'
        },
        {
          field: 'body',
          message: 'Value error, the target column cannot also be excluded'
        }
      ]
    );
    expect(fieldErrors(error)).toEqual({
      name: "Experiment name 'a b' is not valid",
      vpc_config: 'String should match pattern',
      '': 'the target column cannot also be excluded'
    });
  });

  it('uses the main message when a detail names only the field', () => {
    const error = new AutopilotAPIError(
      400,
      'invalid_request',
      'Upload the data to S3 first.',
      [{ field: 'input_uri' }]
    );
    expect(fieldErrors(error)).toEqual({
      input_uri: 'Upload the data to S3 first.'
    });
  });

  it('joins several problems of one field', () => {
    const error = new AutopilotAPIError(400, 'validation_error', 'x', [
      { field: 'tags.0.key', message: 'too long' },
      { field: 'tags.1.key', message: 'empty' }
    ]);
    expect(fieldErrors(error)).toEqual({ tags: 'too long; empty' });
  });

  it('is empty for other errors', () => {
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});

describe('helpers', () => {
  it('finds the top-level field', () => {
    expect(topLevelField('body.max_candidates')).toBe('max_candidates');
    expect(topLevelField('0.key')).toBe('key');
    expect(topLevelField('')).toBe('');
  });
  it('cleans pydantic prefixes', () => {
    expect(cleanPydanticMessage('Value error, bad')).toBe('bad');
    expect(cleanPydanticMessage('Field required')).toBe('Field required');
  });
  it('interpolates %n placeholders', () => {
    expect(interpolate('%1 of %2', [3, 4])).toBe('3 of 4');
    expect(interpolate('%1 and %3', ['a'])).toBe('a and %3');
  });
});
