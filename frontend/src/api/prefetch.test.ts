import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from './client';
import { peekPrefetched, prefetch, takePrefetched } from './prefetch';

afterEach(() => {
  vi.useRealTimers();
});

describe('prefetch', () => {
  it('keeps an answer per client until it is taken, once', async () => {
    const client = new ApiClient();
    const other = new ApiClient();
    prefetch(client, 'a/', async () => 42);
    expect(peekPrefetched(other, 'a/')).toBeUndefined();
    await expect(peekPrefetched<number>(client, 'a/')!.promise).resolves.toBe(42);
    expect(peekPrefetched(client, 'a/')!.settled).toEqual({ ok: true, value: 42 });
    expect(takePrefetched(client, 'a/')!.settled).toEqual({ ok: true, value: 42 });
    expect(takePrefetched(client, 'a/')).toBeUndefined();
  });

  it('records a failure without an unhandled rejection', async () => {
    const client = new ApiClient();
    const error = new Error('down');
    prefetch(client, 'a/', () => Promise.reject(error));
    await Promise.resolve();
    await Promise.resolve();
    expect(peekPrefetched(client, 'a/')!.settled).toEqual({ ok: false, error });
  });

  it('forgets answers asked for more than 10 s ago', () => {
    vi.useFakeTimers();
    const client = new ApiClient();
    prefetch(client, 'a/', async () => 1);
    vi.advanceTimersByTime(10_001);
    expect(peekPrefetched(client, 'a/')).toBeUndefined();
    expect(takePrefetched(client, 'a/')).toBeUndefined();
  });
});
