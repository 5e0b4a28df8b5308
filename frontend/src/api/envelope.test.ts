import { describe, expect, it } from 'vitest';
import { EnvelopeError, isErrorEnvelope, unwrap, unwrapDouble } from './envelope';
import { ApiError, fieldErrors, summarizeErrors } from './errors';

describe('envelopes', () => {
  it('unwrap returns data of a success envelope', () => {
    expect(unwrap({ status: 'success', message: 'fruit retrieved successfully', data: [1] })).toEqual([1]);
    expect(unwrap({ status: 'success', data: null })).toBeNull();
  });

  it('unwrap refuses other shapes', () => {
    expect(() => unwrap({ id: 1 })).toThrow(EnvelopeError);
    expect(() => unwrap(null)).toThrow(EnvelopeError);
  });

  it('unwrapDouble reads data.data and tolerates a single envelope', () => {
    const inner = { token: 'a', user: { id: 1 } };
    expect(unwrapDouble({ status: 'success', message: ' created successfully', data: { status: 'success', message: 'Login successful', data: inner } })).toEqual(inner);
    expect(unwrapDouble({ status: 'success', data: inner })).toEqual(inner);
  });

  it('recognises error envelopes', () => {
    expect(isErrorEnvelope({ status: 'error', errors: { detail: 'x' } })).toBe(true);
    expect(isErrorEnvelope({ status: 'error' })).toBe(false);
  });
});

describe('error helpers', () => {
  it('summarizes the common error shapes', () => {
    expect(summarizeErrors(400, { exception: 'invalid username or password' })).toBe('invalid username or password');
    expect(summarizeErrors(400, { detail: ['msg'] })).toBe('msg');
    expect(summarizeErrors(400, { detail: { non_field_errors: ['must be unique'] } })).toBe('must be unique');
    expect(summarizeErrors(500, {})).toBe('Request failed with status 500.');
  });

  it('flattens field errors to dotted names', () => {
    const error = new ApiError(400, { detail: { username: ['taken'], profile: { role: ['bad role'] }, non_field_errors: ['nope'] } }, '/x');
    expect(fieldErrors(error)).toEqual({ username: ['taken'], 'profile.role': ['bad role'], '': ['nope'] });
    expect(fieldErrors(new ApiError(403, { exception: 'Permission denied for user.' }, '/x'))).toEqual({});
    expect(fieldErrors(new ApiError(400, { exception: 'could not authenticate with given credentials' }, '/x'))).toEqual({
      '': ['could not authenticate with given credentials'],
    });
  });
});
