import { describe, expect, it } from 'vitest';
import { formatDateTime, formatValue } from './format';

describe('formatDateTime', () => {
  it('shows date-times as the reader’s locale does, anything else as it is', () => {
    const iso = '2022-05-02T21:27:42Z';
    const expected = new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
    expect(formatDateTime(iso)).toBe(expected);
    expect(formatDateTime('2023-01-15T08:00:00Z')).toBe(
      new Date('2023-01-15T08:00:00Z').toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
    );
    expect(formatValue(iso)).toBe(expected);
    expect(formatDateTime('2022-13-45T99:99')).toBe('2022-13-45T99:99');
    expect(formatDateTime('hello')).toBe('hello');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime(7)).toBe('7');
  });
});
