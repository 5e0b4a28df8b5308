import { useId, useMemo, useState } from 'react';
import type { Harvester } from '../../api/schemas';
import { MultiSelect, type Option } from '../../components/MultiSelect';
import { useLookup } from '../../hooks/useLookup';
import { harvesterOption } from '../errorreports/common';

/** A group of harvesters to add at once: every one of a fruit, or at a location. */
interface Group {
  kind: 'fruit' | 'location';
  name: string;
  harvIds: string[];
}

/** One option per harv_id (an emulator shares its number with a real harvester), real ones first. */
function targetOptions(harvesters: Harvester[]): Option[] {
  const byValue = new Map<string, Option>();
  for (const h of harvesters) {
    const base = harvesterOption(h);
    const where = [h.location?.ranch, h.fruit?.name].filter(Boolean).join(', ');
    const option = { value: base.value, label: where ? `${base.label} (${where})` : base.label };
    if (!byValue.has(option.value) || !h.is_emulator) byValue.set(option.value, option);
  }
  return [...byValue.values()].sort((a, b) => Number(a.value) - Number(b.value));
}

function groupsOf(harvesters: Harvester[], kind: Group['kind']): Group[] {
  const groups = new Map<string, Set<string>>();
  for (const h of harvesters) {
    const name = kind === 'fruit' ? h.fruit?.name : h.location?.ranch;
    if (!name) continue;
    if (!groups.has(name)) groups.set(name, new Set());
    groups.get(name)!.add(String(h.harv_id));
  }
  return [...groups.entries()]
    .map(([name, ids]) => ({ kind, name, harvIds: [...ids] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The harvesters a job runs on, picked from the fleet (`harvesters/?limit=10000`): one by one
 * (search), or every harvester of a fruit or at a location at once. `value` holds harv_ids.
 */
export function TargetPicker({
  value,
  onChange,
  errors,
  hint,
  label = 'Harvesters',
}: {
  value: string[];
  onChange: (harvIds: string[]) => void;
  /** The API's messages for `targets`. */
  errors?: string[];
  hint?: string;
  label?: string;
}) {
  const id = useId();
  const harvesters = useLookup('/api/v1/harvesters/');
  const options = useMemo(() => targetOptions(harvesters.items), [harvesters.items]);
  const groups = useMemo(() => [...groupsOf(harvesters.items, 'fruit'), ...groupsOf(harvesters.items, 'location')], [harvesters.items]);
  const [group, setGroup] = useState('');
  const chosenGroup = groups.find((g) => `${g.kind}:${g.name}` === group);

  const addGroup = () => {
    if (!chosenGroup) return;
    const next = [...value];
    for (const harvId of chosenGroup.harvIds) if (!next.includes(harvId)) next.push(harvId);
    onChange(next.sort((a, b) => Number(a) - Number(b)));
  };

  return (
    <div className="target-picker">
      <MultiSelect
        label={label}
        placeholder="Choose harvesters"
        options={options}
        value={value}
        onChange={onChange}
        loading={harvesters.loading}
        loadError={harvesters.error ? 'The harvesters could not be loaded.' : null}
        hint={hint}
        errors={errors}
        maxChips={40}
      />
      <div className="target-groups" role="group" aria-labelledby={`${id}-groups`}>
        <span id={`${id}-groups`} className="field-label">
          Add a group
        </span>
        <select aria-label="Harvesters to add" value={group} onChange={(e) => setGroup(e.target.value)} disabled={!groups.length}>
          <option value="">{harvesters.loading ? 'Loading…' : 'Every harvester of a fruit or at a location'}</option>
          {(['fruit', 'location'] as const).map((kind) => (
            <optgroup key={kind} label={kind === 'fruit' ? 'Fruit' : 'Location'}>
              {groups
                .filter((g) => g.kind === kind)
                .map((g) => (
                  <option key={`${kind}:${g.name}`} value={`${kind}:${g.name}`}>
                    {kind === 'fruit' ? `All ${g.name} harvesters` : `All at ${g.name}`} ({g.harvIds.length})
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        <button type="button" className="button button-small" onClick={addGroup} disabled={!chosenGroup}>
          Add
        </button>
        <span className="muted" aria-live="polite">
          {value.length === 1 ? '1 harvester chosen' : `${value.length} harvesters chosen`}
        </span>
      </div>
    </div>
  );
}

/** harv_ids as the API takes them. */
export function targetNumbers(value: string[]): number[] {
  return value.map(Number).filter((n) => Number.isInteger(n));
}
