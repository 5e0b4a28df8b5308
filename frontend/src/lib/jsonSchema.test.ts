import { describe, expect, it } from 'vitest';
import { jobSchema } from '../test/fixtures';
import { hasPayloadFields, jsonErrorOffset, parseJson, payloadFormSchema, schemaFields } from './jsonSchema';

describe('job schemas for people', () => {
  it('lists the fields, what the server sets, and the constraints', () => {
    const fields = schemaFields(jobSchema().schema);
    expect(fields.map((f) => [f.name, f.type, f.required, f.server])).toEqual([
      ['id', 'string', true, 'writes'],
      ['job_type', 'string', true, 'writes'],
      ['timeout', 'integer', false, 'defaults'],
      ['targets', 'array of string', true, null],
      ['count', 'integer', false, null],
    ]);
    expect(fields[3]!.description).toBe('Hosts to run on');
    expect(fields[3]!.constraints).toEqual(['default ["master"]', 'items match ^(master|((robot|stereo)\\d+))$']);
    expect(fields[4]!.description).toBe('How many');
    expect(schemaFields({ required: ['a'] })).toEqual([{ name: 'a', type: 'any', required: true, description: '', constraints: [], server: null }]);
    expect(schemaFields('nope')).toEqual([]);
  });

  it('builds the form’s schema without what the server writes or the draft it names', () => {
    const form = payloadFormSchema({ ...jobSchema().schema as object, required: ['id', 'job_type', 'timeout', 'targets'] });
    expect(form.$schema).toBeUndefined();
    expect(Object.keys(form.properties as object)).toEqual(['timeout', 'targets', 'count']);
    expect(form.required).toEqual(['targets']);
    expect(hasPayloadFields(form)).toBe(true);
    expect(payloadFormSchema({ properties: { a: {} } }).type).toBe('object');
    expect(hasPayloadFields(payloadFormSchema({ type: 'object', properties: { id: {}, job_type: {} } }))).toBe(false);
    expect(payloadFormSchema(null)).toEqual({ type: 'object', properties: {} });
  });

  it('says where JSON text stops parsing', () => {
    expect(parseJson('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    const bad = parseJson('{\n  "a": 1,\n  "b": }');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^Line 3, column 8: /);
    for (const [text, at] of [
      ['{"a": [1, 2,]}', 12],
      ['{"a" 1}', 5],
      ['[1] x', 4],
      ['"tab\there"', 4],
      ['{"a": "\\"", "b": tru}', 17],
      ['{"a": {"b": [true, null, -1.5e3, "x\\u0041"]}}', -1],
    ] as const) {
      expect(jsonErrorOffset(text)).toBe(at);
    }
  });
});
