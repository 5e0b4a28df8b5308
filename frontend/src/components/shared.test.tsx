import { act, render, renderHook, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { useFilterDraft } from '../hooks/useFilterDraft';
import { useStoredFlag } from '../hooks/useStoredFlag';
import { Detail, DetailList } from './DetailList';
import { FilterChips } from './FilterChips';
import { FilterPanel } from './FilterPanel';
import { Breadcrumb, Loaded } from './Loaded';

describe('DetailList', () => {
  it('renders label/value rows in a description list', () => {
    const { container } = render(
      <DetailList>
        <Detail label="Queue">
          <code>s3files</code>
        </Detail>
        <Detail label="Detail">—</Detail>
      </DetailList>,
    );
    const list = container.querySelector('dl')!;
    expect(list).toHaveClass('kv');
    expect(list).not.toHaveClass('kv-compact');
    const terms = within(list).getAllByRole('term').map((t) => t.textContent);
    expect(terms).toEqual(['Queue', 'Detail']);
    expect(within(list).getAllByRole('definition').map((d) => d.textContent)).toEqual(['s3files', '—']);
  });

  it('has a compact variant', () => {
    const { container } = render(
      <DetailList compact>
        <Detail label="Robot">2</Detail>
      </DetailList>,
    );
    expect(container.querySelector('dl')).toHaveClass('kv', 'kv-compact');
  });
});

describe('Loaded and Breadcrumb', () => {
  it('shows the error, then loading, then the data', async () => {
    const reload = vi.fn();
    const child = (n: number) => <p>value {n}</p>;
    const { rerender } = render(<Loaded data={undefined} error={new ApiError(500, { detail: 'boom' }, '/x')} reload={reload}>{child}</Loaded>);
    expect(screen.getAllByText(/boom/).length).toBeGreaterThan(0);
    await userEvent.click(screen.getByRole('button', { name: /try again/i }));
    expect(reload).toHaveBeenCalledTimes(1);
    rerender(<Loaded data={undefined} error={undefined} label="Loading the thing…">{child}</Loaded>);
    expect(screen.getByText('Loading the thing…')).toBeInTheDocument();
    rerender(<Loaded data={0} error={undefined}>{child}</Loaded>);
    expect(screen.getByText('value 0')).toBeInTheDocument();
  });

  it('links back to the list', () => {
    render(
      <MemoryRouter>
        <Breadcrumb to="/s3files" label="S3 files">
          12
        </Breadcrumb>
      </MemoryRouter>,
    );
    const nav = screen.getByRole('navigation', { name: 'Breadcrumb' });
    expect(within(nav).getByRole('link', { name: 'S3 files' })).toHaveAttribute('href', '/s3files');
    expect(nav).toHaveTextContent('S3 files / 12');
  });
});

describe('FilterChips', () => {
  it('shows set filters (empty values too) and removes one', async () => {
    const onRemove = vi.fn();
    render(<FilterChips filters={{ key: 'hv011', resolved: '', tags: undefined }} onRemove={onRemove} />);
    const group = screen.getByRole('group', { name: 'Active filters' });
    expect(group).toHaveTextContent('key=hv011');
    expect(group).toHaveTextContent('resolved=');
    expect(group).not.toHaveTextContent('tags');
    await userEvent.click(screen.getByRole('button', { name: 'Remove filter key' }));
    expect(onRemove).toHaveBeenCalledWith('key');
  });

  it('renders nothing without filters', () => {
    const { container } = render(<FilterChips filters={{}} onRemove={() => {}} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('useFilterDraft', () => {
  type Draft = { key: string; deleted: boolean };

  it('edits a draft, applies it on submit and tells when it differs from what is applied', () => {
    const onApply = vi.fn();
    const { result } = renderHook(() => useFilterDraft<Draft>({ key: '', deleted: false }, onApply));
    expect(result.current.dirty).toBe(false);
    act(() => result.current.set('key', 'hv'));
    act(() => result.current.update((d) => ({ ...d, deleted: !d.deleted })));
    expect(result.current.draft).toEqual({ key: 'hv', deleted: true });
    expect(result.current.dirty).toBe(true);
    const event = { preventDefault: vi.fn() };
    act(() => result.current.submit(event as never));
    expect(event.preventDefault).toHaveBeenCalled();
    expect(onApply).toHaveBeenCalledWith({ key: 'hv', deleted: true });
  });

  it('follows the applied values when they change from elsewhere, and resets', () => {
    const onApply = vi.fn();
    const { result, rerender } = renderHook(({ applied }) => useFilterDraft<Draft>(applied, onApply), {
      initialProps: { applied: { key: 'a', deleted: false } },
    });
    act(() => result.current.set('key', 'typing'));
    // Same values in a new object: the draft is kept.
    rerender({ applied: { key: 'a', deleted: false } });
    expect(result.current.draft.key).toBe('typing');
    // Back/Forward: the draft follows the address.
    rerender({ applied: { key: 'b', deleted: true } });
    expect(result.current.draft).toEqual({ key: 'b', deleted: true });
    expect(result.current.dirty).toBe(false);
    act(() => result.current.reset({ key: '', deleted: false }));
    expect(result.current.draft).toEqual({ key: '', deleted: false });
    expect(onApply).toHaveBeenLastCalledWith({ key: '', deleted: false });
  });

  it('compares with the identity given', () => {
    const { result } = renderHook(() => useFilterDraft({ text: 'a' }, () => {}, (d) => d.text.trim()));
    act(() => result.current.set('text', ' a '));
    expect(result.current.dirty).toBe(false);
  });
});

describe('useStoredFlag', () => {
  it('starts from the default, then from what was chosen last', () => {
    const first = renderHook(() => useStoredFlag('test.flag', true));
    expect(first.result.current[0]).toBe(true);
    act(() => first.result.current[1](false));
    expect(first.result.current[0]).toBe(false);
    expect(localStorage.getItem('test.flag')).toBe('false');
    first.unmount();
    const again = renderHook(() => useStoredFlag('test.flag', () => true));
    expect(again.result.current[0]).toBe(false);
  });

  it('ignores a stored value it does not understand', () => {
    localStorage.setItem('test.flag', 'maybe');
    const { result } = renderHook(() => useStoredFlag('test.flag', false));
    expect(result.current[0]).toBe(false);
  });
});

function Panel({ storageKey, onApply = () => {} }: { storageKey?: string; onApply?: (text: string) => void }) {
  const [applied, setApplied] = useState('');
  const { draft, set, dirty, submit, reset } = useFilterDraft({ text: applied }, (d) => {
    setApplied(d.text);
    onApply(d.text);
  });
  return (
    <FilterPanel
      label="Thing filters"
      summary={applied ? [`Text ${applied}`] : []}
      onSubmit={submit}
      onClear={() => reset({ text: '' })}
      dirty={dirty}
      note="A note."
      storageKey={storageKey}
      defaultOpen={false}
    >
      <label>
        Text <input value={draft.text} onChange={(e) => set('text', e.target.value)} />
      </label>
    </FilterPanel>
  );
}

describe('FilterPanel', () => {
  it('applies on submit, says when changes are pending and clears', async () => {
    const onApply = vi.fn();
    render(<Panel onApply={onApply} />);
    const form = screen.getByRole('form', { name: 'Thing filters' });
    // Without a storage key the panel cannot be folded.
    expect(within(form).queryByRole('button', { name: /^(Show|Hide) filters$/ })).toBeNull();
    expect(form).toHaveTextContent('A note.');
    await userEvent.type(screen.getByLabelText('Text'), 'kiwi');
    expect(form).toHaveTextContent('Changes not applied yet.');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(onApply).toHaveBeenLastCalledWith('kiwi');
    expect(form).not.toHaveTextContent('Changes not applied yet.');
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onApply).toHaveBeenLastCalledWith('');
    expect(screen.getByLabelText('Text')).toHaveValue('');
  });

  it('folds to a summary and remembers whether it is open', async () => {
    const { unmount } = render(<Panel storageKey="test.panel" />);
    // Folded by default here: the fields are hidden, the summary shows.
    const show = screen.getByRole('button', { name: 'Show filters' });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByText('No filters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Text')).not.toBeVisible();
    await userEvent.click(show);
    expect(screen.getByRole('button', { name: 'Hide filters' })).toHaveAttribute('aria-expanded', 'true');
    await userEvent.type(screen.getByLabelText('Text'), 'fig');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    expect(localStorage.getItem('test.panel')).toBe('true');
    unmount();

    render(<Panel storageKey="test.panel" />);
    expect(screen.getByRole('button', { name: 'Hide filters' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Hide filters' }));
    expect(localStorage.getItem('test.panel')).toBe('false');
    expect(screen.getByText('No filters.')).toBeInTheDocument();
  });
});
