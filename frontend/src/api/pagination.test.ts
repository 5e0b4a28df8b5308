import { describe, expect, it } from 'vitest';
import { clampLimit, pageInfo, pageParamsFromUrl, pickParams, relativeApiPath, withQuery } from './pagination';

describe('pagination helpers', () => {
  it('withQuery skips empty values and joins arrays', () => {
    expect(withQuery('fruits/')).toBe('fruits/');
    expect(withQuery('fruits/', { a: '', b: null, c: undefined, d: [] })).toBe('fruits/');
    expect(withQuery('x/?a=1', { codes: [1, 2], primary: true })).toBe('x/?a=1&codes=1%2C2&primary=true');
  });

  it('clamps limit to the API maximum and falls back on garbage', () => {
    expect(clampLimit('50')).toBe(50);
    expect(clampLimit('999999')).toBe(10000);
    expect(clampLimit('0')).toBe(10);
    expect(clampLimit('abc', 25)).toBe(25);
  });

  it('picks the named parameters of an address, in its order, without empty ones', () => {
    const params = new URLSearchParams('ordering=-id&key=hv&limit=5&tags=&deleted=true');
    expect(pickParams(params, ['deleted', 'key', 'tags'])).toEqual({ key: 'hv', deleted: 'true' });
    expect(Object.keys(pickParams(params, ['deleted', 'ordering']))).toEqual(['ordering', 'deleted']);
  });

  it('reads limit and offset from absolute next/previous URLs', () => {
    expect(pageParamsFromUrl('http://internal:8085/api/v1/fruits/?limit=10&offset=20')).toEqual({ limit: 10, offset: 20 });
    // DRF drops offset from the first page's `previous` link.
    expect(pageParamsFromUrl('http://internal:8085/api/v1/fruits/?limit=10')).toEqual({ limit: 10, offset: 0 });
    expect(pageParamsFromUrl(null)).toBeNull();
  });

  it('turns absolute API URLs into paths under the API root', () => {
    expect(relativeApiPath('http://testserver/api/v1/exceptions/?limit=1&offset=1')).toBe('exceptions/?limit=1&offset=1');
    expect(relativeApiPath('http://testserver/other/')).toBeNull();
  });

  it('computes page position, preferring the API links', () => {
    expect(pageInfo(53, 10, 20)).toMatchObject({ page: 3, pages: 6, first: 21, last: 30, hasNext: true, hasPrevious: true, nextOffset: 30, previousOffset: 10 });
    expect(pageInfo(53, 10, 50)).toMatchObject({ page: 6, last: 53, hasNext: false });
    expect(pageInfo(0, 10, 0)).toMatchObject({ page: 1, pages: 1, first: 0, last: 0, hasNext: false, hasPrevious: false });
    const linked = pageInfo(53, 10, 20, {
      next: 'http://x/api/v1/a/?limit=10&offset=30',
      previous: 'http://x/api/v1/a/?limit=10&offset=10',
    });
    expect(linked).toMatchObject({ nextOffset: 30, previousOffset: 10 });
    expect(pageInfo(53, 10, 20, { next: null, previous: null })).toMatchObject({ hasNext: false, hasPrevious: false });
  });
});
