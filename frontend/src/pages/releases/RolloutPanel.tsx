import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { apiGet } from '../../api/client';
import { INSTALL_RELEASE } from '../../api/jobs';
import {
  canManageRollouts,
  describeEvaluation,
  parseWave,
  plural,
  ROLLOUT_DEFAULTS,
  ROLLOUT_REFRESH_MS,
  rolloutStatusClass,
  wavePlan,
  waveProgress,
  waveState,
  type WaveProgress,
  type WaveSize,
} from '../../api/rollouts';
import type { Release, Rollout, RolloutWave } from '../../api/schemas';
import { DataTable } from '../../components/DataTable';
import { Detail, DetailList } from '../../components/DetailList';
import { ErrorState } from '../../components/ErrorState';
import { FormErrors, TextField } from '../../components/FormField';
import { Breadcrumb, Loaded } from '../../components/Loaded';
import { Loading } from '../../components/Loading';
import { ConfirmDialog, Modal } from '../../components/Modal';
import { useApi } from '../../hooks/useApi';
import { useLookup } from '../../hooks/useLookup';
import { usePolling } from '../../hooks/usePolling';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';
import { TargetPicker, targetNumbers } from '../jobs/TargetPicker';

/** Rollouts a release page lists: a release has a few, never pages of them. */
const ROLLOUTS_SHOWN = 50;
/** Harvesters named in a wave's row before the rest fold away. */
const HARVESTERS_SHOWN = 12;

/**
 * The last answer that came, kept while a refresh fails: a running rollout is asked for every
 * 10 s, and one lost request should not blank the panel.
 */
function useLastGood<T>(data: T | undefined): T | undefined {
  const [last, setLast] = useState<T | undefined>(data);
  if (data !== undefined && data !== last) setLast(data);
  return data ?? last;
}

function RolloutStatus({ status }: { status: string }) {
  return <span className={rolloutStatusClass(status)}>{status}</span>;
}

/** `wave 2 of 3`, or that the first has not started yet. */
function waveText(rollout: Rollout): string {
  if (rollout.current_wave === 0) return rollout.status === 'running' ? `first of ${rollout.waves.length} waves starting` : `none of ${rollout.waves.length} waves started`;
  return `wave ${rollout.current_wave} of ${rollout.waves.length}`;
}

const SEGMENTS = [
  ['success', 'installed', 'progress-ok'],
  ['pending', 'pending', 'progress-pending'],
  ['failed', 'failed', 'progress-failed'],
  ['cancelled', 'canceled', 'progress-cancelled'],
] as const;

/** A wave's install jobs as one bar: installed green, pending yellow, failed red, canceled grey, the rest empty. */
function WaveBar({ wave, progress }: { wave: number; progress: WaveProgress }) {
  const total = Math.max(1, progress.harvesters);
  const parts = SEGMENTS.filter(([key]) => progress[key] > 0).map(([key, label]) => `${progress[key]} ${label}`);
  if (progress.notStarted) parts.push(`${progress.notStarted} without a job yet`);
  const text = parts.join(' · ') || 'no harvester';
  return (
    <div className="wave-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label={`Wave ${wave} installs`}
        aria-valuemin={0}
        aria-valuemax={progress.harvesters}
        aria-valuenow={progress.success}
        aria-valuetext={`${progress.success} of ${progress.harvesters} installed; ${text}`}
      >
        {SEGMENTS.map(([key, , className]) =>
          progress[key] > 0 ? <span key={key} className={`progress-part ${className}`} style={{ width: `${(progress[key] / total) * 100}%` }} /> : null,
        )}
      </div>
      <span className="cell-note">{text}</span>
    </div>
  );
}

/** A wave's harvesters, each linked to its install jobs; long waves fold after the first few. */
function WaveHarvesters({ harvIds }: { harvIds: number[] }) {
  const link = (h: number) => (
    <Link key={h} to={`/jobs?target__harv_id=${h}&jobtype=${INSTALL_RELEASE}`} title={`Install jobs of harvester ${h}`}>
      {h}
    </Link>
  );
  if (!harvIds.length) return <span className="muted">—</span>;
  if (harvIds.length <= HARVESTERS_SHOWN) return <span className="harv-list">{harvIds.map(link)}</span>;
  return (
    <details className="harv-fold">
      <summary>
        <span className="harv-list">{harvIds.slice(0, HARVESTERS_SHOWN).map(link)}</span> and {harvIds.length - HARVESTERS_SHOWN} more
      </summary>
      <span className="harv-list">{harvIds.slice(HARVESTERS_SHOWN).map(link)}</span>
    </details>
  );
}

const WAVE_STATE = {
  waiting: ['badge badge-muted', 'not started'],
  current: ['badge badge-info', 'current'],
  stopped: ['badge badge-muted', 'stopped'],
  installed: ['badge badge-ok', 'installed'],
  failed: ['badge badge-error', 'install failed'],
} as const;

function WavesTable({ rollout }: { rollout: Rollout }) {
  const rows = rollout.waves.map((w) => ({ ...w, progress: waveProgress(w) }));
  return (
    <DataTable<RolloutWave & { progress: WaveProgress }>
      caption={`Waves of rollout ${rollout.id}`}
      captionHidden
      rows={rows}
      rowKey={(w) => w.wave}
      rowClassName={(w) => (w.wave === rollout.current_wave && (rollout.status === 'running' || rollout.status === 'halted') ? 'row-current' : undefined)}
      emptyMessage="No wave."
      columns={[
        { key: 'wave', header: 'Wave', render: (w) => w.wave },
        {
          key: 'state',
          header: 'State',
          render: (w) => {
            const [className, label] = WAVE_STATE[waveState(rollout, w, w.progress)];
            return <span className={className}>{label}</span>;
          },
        },
        { key: 'harvesters', header: 'Harvesters', render: (w) => <WaveHarvesters harvIds={w.harvesters} /> },
        { key: 'jobs', header: 'Install jobs', className: 'wave-jobs', render: (w) => <WaveBar wave={w.wave} progress={w.progress} /> },
      ]}
    />
  );
}

/** What the halt rule last saw, in words. */
function Evaluation({ rollout }: { rollout: Rollout }) {
  const { comparison, verdict, breaks } = describeEvaluation(rollout);
  return (
    <div className="rollout-evaluation">
      <h4>Error reports of the updated harvesters</h4>
      <p>{comparison}</p>
      <p className={breaks ? 'error-text' : 'muted'}>{verdict}</p>
    </div>
  );
}

type Action = 'halt' | 'resume' | 'cancel';

const ACTIONS: Record<Action, { label: string; confirm: string; pending: string; danger?: boolean; text: (r: Rollout) => ReactNode }> = {
  halt: {
    label: 'Halt',
    confirm: 'Halt it',
    pending: 'Halting…',
    text: () => (
      <p>
        No further wave starts until someone resumes it. The install jobs already sent stay and run on; harvesters that finish installing
        are still set to this release.
      </p>
    ),
  },
  resume: {
    label: 'Resume',
    confirm: 'Resume it',
    pending: 'Resuming…',
    text: (r) => (
      <p>
        The rollout goes on from wave {Math.max(1, r.current_wave)}: the next wave starts once every job of this one succeeded and it was
        watched for {plural(r.wave_minutes, 'minute')}. The halt rule applies again, and halts it again if the error reports still break
        it.
      </p>
    ),
  },
  cancel: {
    label: 'Cancel',
    confirm: 'Cancel the rollout',
    pending: 'Cancelling…',
    danger: true,
    text: () => (
      <p>
        It ends for good: no further wave starts and it cannot be resumed. The install jobs already sent stay. To go on later, start a
        new rollout.
      </p>
    ),
  },
};

/**
 * Halt (running), resume (halted), cancel (either), each after a confirmation; managers only.
 * `onRefused`: the server said the rollout is no longer in that state (someone else acted, or
 * the worker halted it): the page asks for it again.
 */
function RolloutActions({ rollout, onChanged, onRefused }: { rollout: Rollout; onChanged: (rollout: Rollout) => void; onRefused: () => void }) {
  const client = useClient();
  const [confirming, setConfirming] = useState<Action | null>(null);
  // The action the last answer was for: another dialog does not show its refusal.
  const [tried, setTried] = useState<Action | null>(null);
  const { pending, failure, errors, run } = useSubmit();
  const available: Action[] = rollout.status === 'running' ? ['halt', 'cancel'] : rollout.status === 'halted' ? ['resume', 'cancel'] : [];
  const id = String(rollout.id);

  const act = (action: Action) => {
    setTried(action);
    void run(() =>
      action === 'halt'
        ? client.post('/api/v1/rollouts/{id}/halt/', { path: { id } })
        : action === 'resume'
          ? client.post('/api/v1/rollouts/{id}/resume/', { path: { id } })
          : client.post('/api/v1/rollouts/{id}/cancel/', { path: { id } }),
    ).then((result) => {
      if (result.ok) {
        setConfirming(null);
        onChanged(result.value);
      } else {
        onRefused();
      }
    });
  };

  const shown = confirming ? ACTIONS[confirming] : null;
  if (!available.length && !shown) return null;
  // A 400 is the server's "Only a rollout that is running can be halted.".
  const refusal = tried === confirming ? Object.values(errors).flat() : [];
  const trouble = tried === confirming && failure !== null ? failure : null;
  return (
    <span className="link-row">
      {available.map((action) => (
        <button
          key={action}
          type="button"
          className={ACTIONS[action].danger ? 'button button-small button-danger' : 'button button-small'}
          onClick={() => setConfirming(action)}
          aria-label={`${ACTIONS[action].label} rollout ${rollout.id}`}
        >
          {ACTIONS[action].label}
        </button>
      ))}
      {confirming && shown && (
        <ConfirmDialog
          title={`${shown.label} rollout ${rollout.id}?`}
          confirmLabel={shown.confirm}
          pendingLabel={shown.pending}
          pending={pending}
          danger={shown.danger}
          error={
            trouble !== null ? (
              <ErrorState error={trouble} compact />
            ) : refusal.length ? (
              <p className="form-errors" role="alert">
                {refusal.join(' ')}
              </p>
            ) : undefined
          }
          onCancel={() => setConfirming(null)}
          onConfirm={() => act(confirming)}
        >
          {shown.text(rollout)}
        </ConfirmDialog>
      )}
    </span>
  );
}

/** One rollout: its state, why it halted, the halt rule's last look, its waves, and the managers' actions. */
export function RolloutView({
  rollout,
  heading,
  onChanged,
  onRefused,
}: {
  rollout: Rollout;
  heading: ReactNode;
  onChanged: (rollout: Rollout) => void;
  onRefused: () => void;
}) {
  const { user } = useAuth();
  return (
    <div className="rollout">
      <div className="rollout-head">
        {heading}
        {canManageRollouts(user) && <RolloutActions rollout={rollout} onChanged={onChanged} onRefused={onRefused} />}
      </div>
      {rollout.status === 'halted' && (
        <div className="notice notice-error rollout-halt">
          <strong>Halted:</strong> {rollout.halt_reason || 'no reason recorded'}.
          {canManageRollouts(user) && <span className="muted"> Resume it once that is dealt with, or cancel it.</span>}
        </div>
      )}
      {rollout.status === 'cancelled' && rollout.halt_reason && <p className="muted">It had halted: {rollout.halt_reason}.</p>}
      {rollout.status === 'running' && rollout.current_wave === 0 && (
        <p className="muted" role="status">
          The worker starts the first wave within a few seconds.
        </p>
      )}
      <DetailList compact>
        <Detail label="Started">{formatDateTime(rollout.created)}</Detail>
        <Detail label="Current wave">
          {rollout.current_wave ? `${rollout.current_wave} of ${rollout.waves.length}` : `not started (${plural(rollout.waves.length, 'wave')})`}
          {rollout.wave_started_at && <span className="muted"> since {formatDateTime(rollout.wave_started_at)}</span>}
        </Detail>
        <Detail label="Halt rule">
          at least {plural(rollout.min_reports, 'error report')} and more than {rollout.halt_ratio}× as many as before
        </Detail>
        <Detail label="Each wave watched">{plural(rollout.wave_minutes, 'minute')} before the next starts</Detail>
        <Detail label="Install jobs">
          <Link to={`/jobschemas/${rollout.schema}`}>{INSTALL_RELEASE} schema {rollout.schema}</Link>
        </Detail>
        <Detail label="Last change">{formatDateTime(rollout.lastModified)}</Detail>
      </DetailList>
      <Evaluation rollout={rollout} />
      <WavesTable rollout={rollout} />
    </div>
  );
}

/** "Updated 10:04:05 · Refresh", and how often it refreshes by itself while running. */
function RefreshLine({ running, loading, at, onRefresh }: { running: boolean; loading: boolean; at: Date | null; onRefresh: () => void }) {
  return (
    <span className="section-head-tools">
      <span className="muted" aria-live="polite">
        {loading ? 'Refreshing…' : at ? `Updated ${at.toLocaleTimeString()}${running ? ', again every 10 s while running' : ''}` : ''}
      </span>
      <button type="button" className="button button-small" onClick={onRefresh} disabled={loading}>
        Refresh
      </button>
    </span>
  );
}

/** When the shown answer came (a new object per answer). */
function useAnswerTime(data: unknown): Date | null {
  const [seen, setSeen] = useState<{ data: unknown; at: Date | null }>({ data: undefined, at: null });
  if (data !== undefined && data !== seen.data) setSeen({ data, at: new Date() });
  return seen.at;
}

/** Field errors of the start form: `waves[1]` (a wave the API could not read) counts as `waves`. */
function startErrors(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) {
    const field = /^(targets|waves|halt_ratio|min_reports|wave_minutes)\b/.exec(key)?.[1] ?? key;
    (out[field] ??= []).push(...messages);
  }
  return out;
}

/**
 * "Start rollout" (managers): targets (every real harvester of the release's fruit, or chosen
 * ones), the waves as an editable list, the halt rule and how long each wave is watched.
 */
export function StartRolloutModal({ release, onClose, onStarted }: { release: Release; onClose: () => void; onStarted: (rollout: Rollout) => void }) {
  const client = useClient();
  const id = useId();
  const fleet = useLookup('/api/v1/harvesters/');
  const [mode, setMode] = useState<'fruit' | 'chosen'>('fruit');
  const [chosen, setChosen] = useState<string[]>([]);
  const [waves, setWaves] = useState<string[]>([...ROLLOUT_DEFAULTS.waves]);
  const [haltRatio, setHaltRatio] = useState(String(ROLLOUT_DEFAULTS.halt_ratio));
  const [minReports, setMinReports] = useState(String(ROLLOUT_DEFAULTS.min_reports));
  const [waveMinutes, setWaveMinutes] = useState(String(ROLLOUT_DEFAULTS.wave_minutes));
  const [local, setLocal] = useState<Record<string, string[]>>({});
  const { pending, errors: apiErrors, failure, run } = useSubmit();
  const errors = { ...startErrors(apiErrors), ...local };
  const fruit = release.fruit.name;

  // The server picks the same: every harvester of the fruit that is not an emulator.
  const fruitFleet = useMemo(() => fleet.items.filter((h) => !h.is_emulator && h.fruit?.name === fruit).length, [fleet.items, fruit]);
  const targetCount = mode === 'fruit' ? (fleet.loading || fleet.error ? null : fruitFleet) : chosen.length;
  const parsed = waves.map(parseWave);
  const plan = targetCount && parsed.every((w): w is WaveSize => w !== null) ? wavePlan(parsed, targetCount) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string[]> = {};
    if (mode === 'chosen' && !chosen.length) problems.targets = ['Choose at least one harvester.'];
    if (!waves.length) problems.waves = ['Give at least one wave.'];
    const bad = waves.map((text, i) => (parsed[i] === null ? `Wave ${i + 1} (“${text}”): a number of harvesters or a share like 10%.` : null)).filter(Boolean);
    if (bad.length) problems.waves = bad as string[];
    setLocal(problems);
    if (Object.keys(problems).length) return;
    const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
    const result = await run(() =>
      client.post('/api/v1/release/{id}/rollouts/', {
        path: { id: String(release.id) },
        body: {
          ...(mode === 'chosen' ? { targets: targetNumbers(chosen) } : {}),
          waves: parsed as WaveSize[],
          halt_ratio: number(haltRatio),
          min_reports: number(minReports),
          wave_minutes: number(waveMinutes),
        },
      }),
    );
    if (result.ok) onStarted(result.value);
  };

  const title = `Roll out ${release.version} (${fruit})`;
  return (
    <Modal title={title} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} aria-label={title} className="form" noValidate>
        <p>
          Installs the release in waves of <code>{INSTALL_RELEASE}</code> jobs (the newest schema of that type). The next wave starts once
          every install of the current one succeeded and it was watched for the minutes below; the rollout halts by itself when an install
          fails or when the updated harvesters send markedly more error reports than before.
        </p>
        <fieldset className="choice-row" aria-describedby={errors.targets ? `${id}-targets-error` : undefined}>
          <legend className="field-label">Which harvesters</legend>
          <label className="choice">
            <input type="radio" name={`${id}-targets`} checked={mode === 'fruit'} onChange={() => setMode('fruit')} />
            Every real {fruit} harvester{' '}
            <span className="muted">
              ({fleet.loading ? 'counting…' : fleet.error ? 'the fleet could not be loaded' : `${fruitFleet} now`}; the default)
            </span>
          </label>
          <label className="choice">
            <input type="radio" name={`${id}-targets`} checked={mode === 'chosen'} onChange={() => setMode('chosen')} />
            Harvesters I choose
          </label>
        </fieldset>
        {mode === 'chosen' ? (
          <TargetPicker value={chosen} onChange={setChosen} errors={errors.targets} hint="Updated in the order the waves reach them." />
        ) : errors.targets ? (
          <p id={`${id}-targets-error`} className="field-error">
            {errors.targets.join(' ')}
          </p>
        ) : null}

        <fieldset className={errors.waves ? 'wave-list has-error' : 'wave-list'}>
          <legend className="field-label">Waves</legend>
          <ol>
            {waves.map((text, i) => (
              <li key={i}>
                <input
                  aria-label={`Wave ${i + 1}`}
                  value={text}
                  size={8}
                  aria-invalid={parsed[i] === null && !!errors.waves ? true : undefined}
                  aria-describedby={`${id}-waves-hint${errors.waves ? ` ${id}-waves-error` : ''}`}
                  onChange={(e) => setWaves(waves.map((w, j) => (j === i ? e.target.value : w)))}
                />
                {plan && <span className="muted">{plan.sizes[i] ? plural(plan.sizes[i]!, 'harvester') : 'adds nobody'}</span>}
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Remove wave ${i + 1}`}
                  onClick={() => setWaves(waves.filter((_, j) => j !== i))}
                  disabled={waves.length === 1}
                >
                  Remove
                </button>
              </li>
            ))}
          </ol>
          {plan && plan.rest > 0 && <p className="muted">Then a last wave of {plural(plan.rest, 'harvester')}: the last wave always takes the rest.</p>}
          <button type="button" className="button button-small" onClick={() => setWaves([...waves, '100%'])}>
            Add a wave
          </button>
          <p id={`${id}-waves-hint`} className="field-hint">
            A number of harvesters (<code>1</code>), or the share of all of them reached by the end of the wave (<code>10%</code>). The last
            wave always takes the rest.
          </p>
          {errors.waves && (
            <p id={`${id}-waves-error`} className="field-error">
              {errors.waves.join(' ')}
            </p>
          )}
        </fieldset>

        <div className="form-grid">
          <TextField
            label="Halt ratio"
            type="number"
            min={1}
            max={100}
            step={0.1}
            value={haltRatio}
            onChange={(e) => setHaltRatio(e.target.value)}
            errors={errors.halt_ratio}
            hint="Halt when the updated harvesters send more than this many times their error reports before the install."
          />
          <TextField
            label="Minimum reports"
            type="number"
            min={1}
            step={1}
            value={minReports}
            onChange={(e) => setMinReports(e.target.value)}
            errors={errors.min_reports}
            hint="Fewer error reports than this never halt it: too few to judge."
          />
          <TextField
            label="Minutes to watch each wave"
            type="number"
            min={0}
            max={10080}
            step={1}
            value={waveMinutes}
            onChange={(e) => setWaveMinutes(e.target.value)}
            errors={errors.wave_minutes}
            hint="After a wave’s installs succeeded, before the next wave starts (0: at once)."
          />
        </div>
        <FormErrors errors={errors} shown={['targets', 'waves', 'halt_ratio', 'min_reports', 'wave_minutes']} />
        {failure !== null && <ErrorState error={failure} compact />}
        <div className="form-actions modal-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Starting…' : 'Start rollout'}
          </button>
          <button type="button" className="button" onClick={onClose} disabled={pending}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * The release page's rollouts, newest first, refreshed every 10 s while one of them runs;
 * "Start rollout" for managers.
 */
export function RolloutsPanel({ release }: { release: Release }) {
  const { user } = useAuth();
  const { data, error, loading, reload } = useApi(
    apiGet('/api/v1/release/{id}/rollouts/', { path: { id: String(release.id) }, query: { limit: ROLLOUTS_SHOWN } }),
  );
  const shown = useLastGood(data);
  const at = useAnswerTime(data);
  const running = !!shown?.results.some((r) => r.status === 'running');
  usePolling(reload, running, ROLLOUT_REFRESH_MS);
  const [starting, setStarting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const changed = (rollout: Rollout) => {
    setNotice(`Rollout ${rollout.id} is ${rollout.status} now.`);
    reload();
  };

  return (
    <section className="card" aria-labelledby="rollouts-title">
      <div className="section-head">
        <h2 id="rollouts-title">Rollouts</h2>
        <span className="section-head-tools">
          {shown && <RefreshLine running={running} loading={loading} at={at} onRefresh={reload} />}
          {canManageRollouts(user) && (
            <button type="button" className="button button-primary" onClick={() => setStarting(true)}>
              Start rollout
            </button>
          )}
        </span>
      </div>
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      {error && !shown ? (
        <ErrorState error={error} onRetry={reload} compact />
      ) : !shown ? (
        <Loading label="Loading the rollouts…" />
      ) : (
        <>
          {error !== undefined && error !== null && <ErrorState error={error} title="The last refresh failed" onRetry={reload} compact />}
          {shown.results.length === 0 ? (
            <p className="muted">
              No rollout of this release yet. A rollout installs it in waves and halts by itself when the updated harvesters send markedly
              more error reports than before.
            </p>
          ) : (
            <ol className="rollout-list" aria-label={`Rollouts of release ${release.version}`}>
              {shown.results.map((r) => (
                <li key={r.id}>
                  <RolloutView
                    rollout={r}
                    onChanged={changed}
                    onRefused={reload}
                    heading={
                      <h3 id={`rollout-${r.id}`}>
                        <Link to={`/rollouts/${r.id}`}>Rollout {r.id}</Link> <RolloutStatus status={r.status} />{' '}
                        <span className="muted rollout-wave">{waveText(r)}</span>
                      </h3>
                    }
                  />
                </li>
              ))}
            </ol>
          )}
          {shown.count > shown.results.length && (
            <p className="muted">
              The {shown.results.length} newest of {shown.count} rollouts are shown.
            </p>
          )}
        </>
      )}
      {starting && (
        <StartRolloutModal
          release={release}
          onClose={() => setStarting(false)}
          onStarted={(rollout) => {
            setStarting(false);
            setNotice(`Rollout ${rollout.id} started: ${plural(rollout.waves.length, 'wave')}, the first within a few seconds.`);
            reload();
          }}
        />
      )}
    </section>
  );
}

/** `/rollouts/:id`: one rollout, refreshed every 10 s while it runs, with its release linked. */
export function RolloutDetailPage() {
  const { id = '' } = useParams();
  const { data, error, loading, reload } = useApi(apiGet('/api/v1/rollouts/{id}/', { path: { id } }));
  const last = useLastGood(data);
  // The answer for this address only (after a move to another rollout, not the previous one's).
  const shown = last?.id === Number(id) ? last : undefined;
  const at = useAnswerTime(data);
  const release = useApi(shown ? apiGet('/api/v1/release/{id}/', { path: { id: String(shown.release) } }) : null);
  const running = shown?.status === 'running';
  usePolling(reload, running, ROLLOUT_REFRESH_MS);
  const [notice, setNotice] = useState<string | null>(null);
  useTitle(`Rollout ${id}`);
  const releaseName = release.data ? `Release ${release.data.version}` : shown ? `Release ${shown.release}` : 'Releases';

  return (
    <div className="page">
      <Breadcrumb to={shown ? `/release/${shown.release}` : '/release'} label={releaseName}>
        Rollout {id}
      </Breadcrumb>
      <Loaded data={shown} error={shown ? undefined : error} reload={reload} label="Loading the rollout…">
        {(r) => (
          <>
            {notice && (
              <p className="notice notice-success" role="status">
                {notice}
              </p>
            )}
            {error !== undefined && error !== null && <ErrorState error={error} title="The last refresh failed" onRetry={reload} compact />}
            <section className="card" aria-labelledby="rollout-title">
              <RolloutView
                rollout={r}
                onChanged={(changed) => {
                  setNotice(`Rollout ${changed.id} is ${changed.status} now.`);
                  reload();
                }}
                onRefused={reload}
                heading={
                  <div className="section-head">
                    <h1 id="rollout-title">
                      Rollout {r.id} <RolloutStatus status={r.status} /> <span className="muted rollout-wave">{waveText(r)}</span>
                    </h1>
                    <RefreshLine running={running} loading={loading} at={at} onRefresh={reload} />
                  </div>
                }
              />
              <p className="link-row">
                <Link to={`/release/${r.release}`}>{release.data ? `Release ${release.data.version} (${release.data.fruit.name})` : `Release ${r.release}`}</Link>
                <Link to={`/jobs?jobtype=${INSTALL_RELEASE}`}>Install jobs</Link>
              </p>
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}
