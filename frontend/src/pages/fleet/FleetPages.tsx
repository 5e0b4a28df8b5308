import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { canDevelop } from '../../api/roles';
import type { Distributor, Location } from '../../api/schemas';
import type { Column } from '../../components/DataTable';
import { ErrorState } from '../../components/ErrorState';
import { FormErrors, SelectField, TextField } from '../../components/FormField';
import { ListView } from '../../components/ListView';
import { Modal } from '../../components/Modal';
import { invalidateLookup, useLookup } from '../../hooks/useLookup';
import { usePageParams } from '../../hooks/usePageParams';
import { useSubmit } from '../../hooks/useSubmit';
import { useTitle } from '../../hooks/useTitle';
import { formatDateTime } from '../../lib/format';
import { useAuth, useClient } from '../../services';

function FormButtons({ pending, label, onCancel, disabled = false }: { pending: boolean; label: string; onCancel: () => void; disabled?: boolean }) {
  return (
    <div className="form-actions modal-actions">
      <button type="submit" className="button button-primary" disabled={pending || disabled}>
        {pending ? 'Saving…' : label}
      </button>
      <button type="button" className="button" onClick={onCancel} disabled={pending}>
        Cancel
      </button>
    </div>
  );
}

/** POST `locations/` or PATCH `locations/{id}/` with `{ranch, country, region, distributor:<id>, site_channel}`. */
export function LocationFormModal({ location, onClose, onSaved }: { location?: Location; onClose: () => void; onSaved: () => void }) {
  const client = useClient();
  const distributors = useLookup('/api/v1/distributors/');
  const { pending, errors, failure, run } = useSubmit();
  const [form, setForm] = useState({
    ranch: location?.ranch ?? '',
    country: location?.country ?? '',
    region: location?.region ?? '',
    distributor: location ? String(location.distributor.id) : '',
    site_channel: location?.site_channel ?? (location ? '' : 'harvs-dev'),
  });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: event.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.ranch.trim() || !form.distributor) return;
    const body = {
      ranch: form.ranch.trim(),
      country: form.country.trim(),
      region: form.region.trim(),
      distributor: Number(form.distributor),
      site_channel: form.site_channel.trim(),
    };
    const result = await run(() =>
      location
        ? client.patch('/api/v1/locations/{id}/', { path: { id: String(location.id) }, body })
        : client.post('/api/v1/locations/', { body }),
    );
    if (result.ok) {
      invalidateLookup(client, '/api/v1/locations/');
      onSaved();
    }
  };

  const title = location ? `Edit location ${location.ranch ?? location.id}` : 'New location';
  return (
    <Modal title={title} onClose={onClose} wide>
      <form onSubmit={(e) => void submit(e)} aria-label={title} className="form" noValidate>
        <div className="form-grid">
          <TextField label="Ranch" required value={form.ranch} onChange={set('ranch')} errors={errors.ranch} maxLength={255} />
          <SelectField label="Distributor" required value={form.distributor} onChange={set('distributor')} errors={errors.distributor}>
            <option value="">{distributors.loading ? 'Loading…' : 'Choose a distributor'}</option>
            {distributors.items.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </SelectField>
          <TextField label="Country" value={form.country} onChange={set('country')} errors={errors.country} maxLength={255} />
          <TextField label="Region" value={form.region} onChange={set('region')} errors={errors.region} maxLength={255} />
          <TextField
            label="Slack channel"
            value={form.site_channel}
            onChange={set('site_channel')}
            errors={errors.site_channel}
            maxLength={40}
            hint="Where operator messages for this site go."
          />
        </div>
        <FormErrors errors={errors} shown={['ranch', 'distributor', 'country', 'region', 'site_channel']} />
        {failure !== null && <ErrorState error={failure} compact />}
        <FormButtons pending={pending} label={location ? 'Save changes' : 'Create location'} onCancel={onClose} disabled={!form.ranch.trim() || !form.distributor} />
      </form>
    </Modal>
  );
}

/** POST `distributors/` or PATCH `distributors/{id}/` with `{name}`. */
export function DistributorFormModal({ distributor, onClose, onSaved }: { distributor?: Distributor; onClose: () => void; onSaved: () => void }) {
  const client = useClient();
  const { pending, errors, failure, run } = useSubmit();
  const [name, setName] = useState(distributor?.name ?? '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    const body = { name: name.trim() };
    const result = await run(() =>
      distributor
        ? client.patch('/api/v1/distributors/{id}/', { path: { id: String(distributor.id) }, body })
        : client.post('/api/v1/distributors/', { body }),
    );
    if (result.ok) {
      invalidateLookup(client, '/api/v1/distributors/');
      onSaved();
    }
  };

  const title = distributor ? `Edit distributor ${distributor.name}` : 'New distributor';
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} aria-label={title} className="form" noValidate>
        <TextField label="Name" required value={name} onChange={(e) => setName(e.target.value)} errors={errors.name} maxLength={255} />
        <FormErrors errors={errors} shown={['name']} />
        {failure !== null && <ErrorState error={failure} compact />}
        <FormButtons pending={pending} label={distributor ? 'Save changes' : 'Create distributor'} onCancel={onClose} disabled={!name.trim()} />
      </form>
    </Modal>
  );
}

function editColumn<T extends { id: number }>(label: (row: T) => string, onEdit: (row: T) => void): Column<T> {
  return {
    key: 'edit',
    header: 'Edit',
    render: (row) => (
      <button type="button" className="button button-small" onClick={() => onEdit(row)} aria-label={`Edit ${label(row)}`}>
        Edit
      </button>
    ),
  };
}

/** Developers and up create; the API lets only superusers PATCH locations and distributors (docs/api-design.md#routes-and-permissions). */
function fleetRights(user: ReturnType<typeof useAuth>['user']) {
  return { canCreate: canDevelop(user), canEdit: !!user?.is_superuser };
}

export function LocationListPage() {
  useTitle('Locations');
  const { user } = useAuth();
  const { canCreate, canEdit } = fleetRights(user);
  const { limit, offset, setPage } = usePageParams();
  const [editing, setEditing] = useState<Location | 'new' | null>(null);
  const [version, setVersion] = useState(0);

  const columns: Column<Location>[] = [
    { key: 'id', header: 'ID', render: (l) => <Link to={`/locations/${l.id}`}>{l.id}</Link> },
    { key: 'ranch', header: 'Ranch', render: (l) => <Link to={`/locations/${l.id}`}>{l.ranch || '—'}</Link> },
    {
      key: 'distributor',
      header: 'Distributor',
      render: (l) => <Link to={`/distributors/${l.distributor.id}`}>{l.distributor.name}</Link>,
    },
    { key: 'country', header: 'Country', render: (l) => l.country || '—' },
    { key: 'region', header: 'Region', render: (l) => l.region || '—' },
    { key: 'site_channel', header: 'Slack channel', render: (l) => l.site_channel || '—' },
    {
      key: 'reports',
      header: 'Reports',
      render: (l) => (l.ranch ? <Link to={`/errorreports?locations=${encodeURIComponent(l.ranch)}`}>Error reports</Link> : '—'),
    },
  ];
  if (canEdit) columns.push(editColumn<Location>((l) => `location ${l.ranch ?? l.id}`, setEditing));

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Locations</h1>
          <p className="muted">Ranches the harvesters work at, and their distributors.</p>
        </div>
        {canCreate && (
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            New location
          </button>
        )}
      </header>
      <ListView
        key={version}
        path="/api/v1/locations/"
        columns={columns}
        caption="Locations"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No locations."
      />
      {editing && (
        <LocationFormModal
          location={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </div>
  );
}

export function DistributorListPage() {
  useTitle('Distributors');
  const { user } = useAuth();
  const { canCreate, canEdit } = fleetRights(user);
  const { limit, offset, setPage } = usePageParams();
  const [editing, setEditing] = useState<Distributor | 'new' | null>(null);
  const [version, setVersion] = useState(0);

  const columns: Column<Distributor>[] = [
    { key: 'id', header: 'ID', render: (d) => <Link to={`/distributors/${d.id}`}>{d.id}</Link> },
    { key: 'name', header: 'Name', render: (d) => <Link to={`/distributors/${d.id}`}>{d.name || '—'}</Link> },
    { key: 'created', header: 'Created', render: (d) => formatDateTime(d.created) },
    { key: 'lastModified', header: 'Last modified', render: (d) => formatDateTime(d.lastModified) },
  ];
  if (canEdit) columns.push(editColumn<Distributor>((d) => `distributor ${d.name}`, setEditing));

  return (
    <div className="page">
      <header className="page-head page-head-row">
        <div>
          <h1>Distributors</h1>
          <p className="muted">Distributors the locations belong to.</p>
        </div>
        {canCreate && (
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            New distributor
          </button>
        )}
      </header>
      <ListView
        key={version}
        path="/api/v1/distributors/"
        columns={columns}
        caption="Distributors"
        captionHidden
        limit={limit}
        offset={offset}
        onPageChange={setPage}
        emptyMessage="No distributors."
      />
      {editing && (
        <DistributorFormModal
          distributor={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </div>
  );
}
