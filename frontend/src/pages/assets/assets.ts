/**
 * Asset reports (`harvassetreport/`): `data` lists `{asset, index, asset-tag, version}`, the
 * assets a harvester carries; the worker places each one (entries without `asset-tag` are
 * skipped). Assets (`harvassets/`) are then unique by type and serial number.
 */
import type { Asset } from '../../api/schemas';
import { isPlainObject } from '../../lib/format';

export interface AssetEntry {
  type: string;
  index: number | null;
  /** The serial number as the API stores it (text), or null when the entry has none. */
  serial: string | null;
  version: string | null;
  /** Skipped by the worker: no `asset-tag`. */
  skipped: boolean;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : String(value);
}

/** The entries of an asset report (its `report` as received), by type and index. */
export function assetEntries(report: unknown): AssetEntry[] {
  const data = isPlainObject(report) ? report.data : undefined;
  if (!Array.isArray(data)) return [];
  return data
    .filter(isPlainObject)
    .map((e) => {
      const serial = text(e['asset-tag']);
      return {
        type: text(e.asset) ?? '?',
        index: typeof e.index === 'number' ? e.index : null,
        serial,
        version: text(e.version),
        skipped: serial === null,
      };
    })
    .sort(byTypeAndIndex);
}

function byTypeAndIndex(a: { type: string; index: number | null }, b: { type: string; index: number | null }): number {
  return a.type.localeCompare(b.type) || (a.index ?? -1) - (b.index ?? -1);
}

/** A harvester's assets (`harvesters/{id}/assets/`) by type, then index. */
export function sortAssets(assets: Asset[]): Asset[] {
  return [...assets].sort((a, b) => byTypeAndIndex({ type: a.asset.name, index: a.index }, { type: b.asset.name, index: b.index }));
}

/** `+` / `~` / `-` of an asset's history as words. */
export function historyKind(type: string): string {
  return ({ '+': 'created', '~': 'changed', '-': 'deleted' } as Record<string, string>)[type] ?? type;
}
