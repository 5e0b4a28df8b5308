import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, type ApiRequest } from './client';
import { peekPrefetched, prefetch, takePrefetched } from './prefetch';

afterEach(() => {
  vi.useRealTimers();
});

/** A request answered by `run`, under the key `a/`. */
function request<T>(run: () => Promise<T>): ApiRequest<T> {
  return { key: 'a/', send: run };
}

describe('prefetch', () => {
  it('keeps an answer per client until it is taken, once', async () => {
    const client = new ApiClient();
    const other = new ApiClient();
    const answer = request(async () => 42);
    prefetch(client, answer);
    expect(peekPrefetched(other, answer)).toBeUndefined();
    await expect(peekPrefetched(client, answer)!.promise).resolves.toBe(42);
    expect(peekPrefetched(client, answer)!.settled).toEqual({ ok: true, value: 42 });
    expect(takePrefetched(client, answer)!.settled).toEqual({ ok: true, value: 42 });
    expect(takePrefetched(client, answer)).toBeUndefined();
  });

  it('records a failure without an unhandled rejection', async () => {
    const client = new ApiClient();
    const error = new Error('down');
    const failing = request(() => Promise.reject(error));
    prefetch(client, failing);
    await Promise.resolve();
    await Promise.resolve();
    expect(peekPrefetched(client, failing)!.settled).toEqual({ ok: false, error });
  });

  it('forgets answers asked for more than 10 s ago', () => {
    vi.useFakeTimers();
    const client = new ApiClient();
    const old = request(async () => 1);
    prefetch(client, old);
    vi.advanceTimersByTime(10_001);
    expect(peekPrefetched(client, old)).toBeUndefined();
    expect(takePrefetched(client, old)).toBeUndefined();
  });
});
