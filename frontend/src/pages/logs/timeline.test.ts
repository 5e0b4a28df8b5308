import { describe, expect, it } from 'vitest';
import {
  compareCursor,
  edgeToLoad,
  emptyWindow,
  followTarget,
  holds,
  indexAtOrAfter,
  indexForTime,
  logTimeAt,
  mergePage,
  pagePosition,
  scrollTopFor,
  videoStart,
  videoTimeFor,
  visibleRows,
  type Positioned,
  type Window,
} from './timeline';

const e = (ts: number, seq: number) => ({ ts, seq });
const page = (results: Positioned[], more_before = false, more_after = false) => ({ results, more_before, more_after });
const seqs = (w: Window<Positioned>) => w.entries.map((x) => x.seq);

describe('the window of entries', () => {
  it('orders positions by time, then sequence', () => {
    expect(compareCursor(e(1, 5), e(2, 1))).toBeLessThan(0);
    expect(compareCursor(e(2, 1), e(2, 3))).toBeLessThan(0);
    expect(compareCursor(e(2, 3), e(2, 3))).toBe(0);
  });

  it('starts over on a jump, appends after and prepends before without repeats', () => {
    let w = mergePage(emptyWindow(), page([e(10, 1), e(10, 2), e(11, 3)], true, true), 'replace', 100).window;
    expect(seqs(w)).toEqual([1, 2, 3]);
    expect([w.moreBefore, w.moreAfter]).toEqual([true, true]);
    // The next page after (11, 3) may repeat the boundary entry: it is not held twice.
    w = mergePage(w, page([e(11, 3), e(12, 4), e(12, 5)], true, false), 'after', 100).window;
    expect(seqs(w)).toEqual([1, 2, 3, 4, 5]);
    expect(w.moreAfter).toBe(false);
    const before = mergePage(w, page([e(9, 0), e(10, 1)], false, true), 'before', 100);
    expect(seqs(before.window)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(before.window.moreBefore).toBe(false);
    expect(before.dropped).toBe(1);
  });

  it('keeps at most max entries, cutting the far side, which then has more', () => {
    const start = mergePage(emptyWindow(), page([1, 2, 3, 4].map((i) => e(i, i)), false, true), 'replace', 4).window;
    const after = mergePage(start, page([5, 6].map((i) => e(i, i)), true, true), 'after', 4);
    expect(seqs(after.window)).toEqual([3, 4, 5, 6]);
    expect(after.dropped).toBe(2);
    expect(after.window.moreBefore).toBe(true);
    const back = mergePage(after.window, page([1, 2].map((i) => e(i, i)), false, true), 'before', 4);
    expect(seqs(back.window)).toEqual([1, 2, 3, 4]);
    expect(back.window.moreAfter).toBe(true);
    expect(back.window.moreBefore).toBe(false);
  });

  it('asks for the page after the last entry or before the first, only when there is one', () => {
    const w: Window<Positioned> = { entries: [e(10.5, 7), e(12.25, 9)], moreBefore: true, moreAfter: false };
    expect(pagePosition(w, 'before')).toEqual({ before_ts: '10.5', before_seq: '7' });
    expect(pagePosition(w, 'after')).toBeNull();
    expect(pagePosition(emptyWindow(), 'before')).toBeNull();
  });

  it('finds the line of a time by binary search', () => {
    const entries = [e(10, 1), e(10, 2), e(12, 3), e(15, 4)];
    expect(indexAtOrAfter(entries, 9)).toBe(0);
    expect(indexAtOrAfter(entries, 10)).toBe(0);
    expect(indexAtOrAfter(entries, 11)).toBe(2);
    expect(indexAtOrAfter(entries, 16)).toBe(4);
    expect(indexForTime(entries, 12)).toBe(2);
    expect(indexForTime(entries, 13.9)).toBe(2);
    expect(indexForTime(entries, 5)).toBe(0);
    expect(indexForTime(entries, 99)).toBe(3);
    expect(indexForTime([], 1)).toBe(-1);
  });

  it('knows whether a time is within what it holds', () => {
    const w: Window<Positioned> = { entries: [e(10, 1), e(20, 2)], moreBefore: true, moreAfter: true };
    expect(holds(w, 15)).toBe(true);
    expect(holds(w, 5)).toBe(false);
    expect(holds({ ...w, moreBefore: false }, 5)).toBe(true);
    expect(holds(w, 25)).toBe(false);
    expect(holds(emptyWindow(), 1)).toBe(false);
  });
});

describe('virtual scrolling', () => {
  it('draws the rows in view and an overscan, with the space of the others', () => {
    expect(visibleRows(0, 200, 20, 1000, 5)).toEqual({ start: 0, end: 16, padTop: 0, padBottom: 984 * 20 });
    const mid = visibleRows(10_000, 200, 20, 1000, 5);
    expect(mid).toEqual({ start: 495, end: 516, padTop: 495 * 20, padBottom: 484 * 20 });
    const end = visibleRows(19_900, 200, 20, 1000, 5);
    expect(end.end).toBe(1000);
    expect(end.padBottom).toBe(0);
    expect(visibleRows(0, 200, 20, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    // Whatever the scroll position, the drawn rows and the padding add up to the whole list.
    for (const top of [0, 7, 333, 5000, 19_990, 50_000]) {
      const r = visibleRows(top, 240, 20, 1000, 3);
      expect(r.padTop + (r.end - r.start) * 20 + r.padBottom).toBe(1000 * 20);
    }
  });

  it('scrolls a line to the upper third and loads the side it nears', () => {
    expect(scrollTopFor(100, 300, 20)).toBe(1900);
    expect(scrollTopFor(2, 300, 20)).toBe(0);
    const w: Window<Positioned> = { entries: [], moreBefore: true, moreAfter: true };
    expect(edgeToLoad({ start: 0, end: 30, padTop: 0, padBottom: 0 }, 500, w, 50)).toBe('before');
    expect(edgeToLoad({ start: 440, end: 470, padTop: 0, padBottom: 0 }, 500, w, 50)).toBe('after');
    expect(edgeToLoad({ start: 200, end: 230, padTop: 0, padBottom: 0 }, 500, w, 50)).toBeNull();
    expect(edgeToLoad({ start: 0, end: 30, padTop: 0, padBottom: 0 }, 500, { ...w, moreBefore: false }, 50)).toBeNull();
  });
});

describe('the video beside the log', () => {
  const meta = [{ note: 'no time' }, { ts: 1675199570.5, frame: 0 }, { ts: 1675199570.6, frame: 1 }];

  it('starts at the first metadata time', () => {
    expect(videoStart(meta)).toBe(1675199570.5);
    expect(videoStart([{ ts: '1675199570.25' }])).toBe(1675199570.25);
    expect(videoStart([])).toBeNull();
    expect(videoStart(null)).toBeNull();
    expect(videoStart([{ ts: 'soon' }])).toBeNull();
  });

  it('maps a line to a video position and back', () => {
    const start = 1000;
    expect(videoTimeFor(start, 1012.5, 60)).toBe(12.5);
    expect(videoTimeFor(start, 999, 60)).toBeNull();
    expect(videoTimeFor(start, 1061, 60)).toBeNull();
    expect(videoTimeFor(start, 1061, null)).toBe(61);
    expect(logTimeAt(start, 12.5)).toBe(1012.5);
    expect(logTimeAt(start, -1)).toBe(1000);
    // A round trip lands where it started.
    expect(logTimeAt(start, videoTimeFor(start, 1033.25, 60)!)).toBe(1033.25);
  });

  it('moves the log only when the video reached another line', () => {
    const entries = [e(1000, 1), e(1001, 2), e(1003, 3)];
    expect(followTarget(entries, 0, 1000.4)).toBeNull();
    expect(followTarget(entries, 0, 1001.2)).toBe(1);
    expect(followTarget(entries, 1, 1002.9)).toBeNull();
    expect(followTarget(entries, 1, 1003)).toBe(2);
    expect(followTarget([], 0, 1)).toBeNull();
  });
});
