import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { DataTable, type Column } from './DataTable';
import { ErrorState } from './ErrorState';
import { JsonTree } from './JsonTree';
import { Pagination } from './Pagination';

describe('Pagination', () => {
  it('shows the position and moves between pages', async () => {
    const onChange = vi.fn();
    render(<Pagination count={53} limit={10} offset={20} onChange={onChange} label="Fruits pages" />);
    const nav = screen.getByRole('navigation', { name: 'Fruits pages' });
    expect(nav).toHaveTextContent('Showing 21–30 of 53');
    expect(nav).toHaveTextContent('Page 3 of 6');
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(onChange).toHaveBeenLastCalledWith(30, 10);
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(onChange).toHaveBeenLastCalledWith(10, 10);
    await userEvent.click(screen.getByRole('button', { name: 'First page' }));
    expect(onChange).toHaveBeenLastCalledWith(0, 10);
    await userEvent.click(screen.getByRole('button', { name: 'Last page' }));
    expect(onChange).toHaveBeenLastCalledWith(50, 10);
  });

  it('disables buttons at the ends', () => {
    render(<Pagination count={5} limit={10} offset={0} onChange={() => {}} />);
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    expect(screen.getByText('Showing 1–5 of 5')).toBeInTheDocument();
  });

  it('follows the API next/previous links', async () => {
    const onChange = vi.fn();
    render(
      <Pagination
        count={100}
        limit={10}
        offset={10}
        next="http://internal/api/v1/fruits/?limit=10&offset=20"
        previous="http://internal/api/v1/fruits/?limit=10"
        onChange={onChange}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(onChange).toHaveBeenLastCalledWith(0, 10);
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(onChange).toHaveBeenLastCalledWith(20, 10);
  });

  it('changes the page size and goes back to the first page', async () => {
    const onChange = vi.fn();
    render(<Pagination count={100} limit={10} offset={40} onChange={onChange} />);
    await userEvent.selectOptions(screen.getByLabelText('Rows per page'), '50');
    expect(onChange).toHaveBeenLastCalledWith(0, 50);
  });

  it('says so when there are no results', () => {
    render(<Pagination count={0} limit={10} offset={0} onChange={() => {}} />);
    expect(screen.getByText('No results')).toBeInTheDocument();
  });
});

type Row = { id: number; name: string; active: boolean; fruit: { id: number; name: string } | null };

describe('DataTable', () => {
  const columns: Column<Row>[] = [
    { key: 'name', header: 'Name' },
    { key: 'active', header: 'Active' },
    { key: 'fruit', header: 'Fruit' },
    { key: 'custom', header: 'Custom', render: (r) => <button type="button">Edit {r.name}</button> },
  ];

  it('renders headers, formatted cells and custom cells', () => {
    render(
      <DataTable
        caption="Harvesters"
        columns={columns}
        rows={[
          { id: 1, name: 'h1', active: true, fruit: { id: 1, name: 'strawberry' } },
          { id: 2, name: 'h2', active: false, fruit: null },
        ]}
      />,
    );
    const table = screen.getByRole('table', { name: 'Harvesters' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Name', 'Active', 'Fruit', 'Custom']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getAllByRole('cell').map((td) => td.textContent)).toEqual(['h1', 'Yes', 'strawberry', 'Edit h1']);
    expect(within(rows[1]!).getAllByRole('cell').map((td) => td.textContent)).toEqual(['h2', 'No', '—', 'Edit h2']);
    expect(within(rows[0]!).getAllByRole('cell')[2]).toHaveAttribute('data-label', 'Fruit');
  });

  it('shows the empty message across all columns', () => {
    render(<DataTable caption="Users" columns={columns} rows={[]} emptyMessage="No users." />);
    const cell = screen.getByRole('cell', { name: 'No users.' });
    expect(cell).toHaveAttribute('colspan', '4');
  });

  it('marks stale rows busy and is keyboard scrollable', () => {
    render(<DataTable caption="Users" columns={columns} rows={[]} busy />);
    expect(screen.getByRole('table')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('region', { name: 'Users' })).toHaveAttribute('tabindex', '0');
  });
});

describe('JsonTree', () => {
  const value = { name: 'h1', harv_id: 11, active: true, nothing: null, fruit: { id: 1, name: 'strawberry' }, tags: ['a', 'b'] };

  it('renders primitives with their JSON spelling and collapses deeper levels', () => {
    render(<JsonTree value={value} expandDepth={1} />);
    expect(screen.getByText('"h1"')).toBeInTheDocument();
    expect(screen.getByText('11')).toBeInTheDocument();
    expect(screen.getByText('true')).toBeInTheDocument();
    expect(screen.getByText('null')).toBeInTheDocument();
    const fruit = screen.getByRole('button', { name: /fruit/ });
    expect(fruit).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByText('"strawberry"')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /tags.*2 items/ })).toBeInTheDocument();
  });

  it('expands and collapses with the keyboard', async () => {
    render(<JsonTree value={value} expandDepth={1} />);
    const fruit = screen.getByRole('button', { name: /fruit/ });
    fruit.focus();
    await userEvent.keyboard('{Enter}');
    expect(fruit).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('"strawberry"')).toBeInTheDocument();
    await userEvent.keyboard(' ');
    expect(fruit).toHaveAttribute('aria-expanded', 'false');
  });

  it('pages long arrays', async () => {
    render(<JsonTree value={Array.from({ length: 250 }, (_, i) => i)} pageSize={100} />);
    expect(screen.getAllByRole('listitem').filter((li) => li.className === 'json-leaf')).toHaveLength(100);
    await userEvent.click(screen.getByRole('button', { name: /Show 100 more of 150 remaining/ }));
    expect(screen.getAllByRole('listitem').filter((li) => li.className === 'json-leaf')).toHaveLength(200);
  });

  it('copies the JSON', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    render(<JsonTree value={{ a: 1 }} copyable />);
    await user.click(screen.getByRole('button', { name: 'Copy JSON' }));
    expect(writeText).toHaveBeenCalledWith('{\n  "a": 1\n}');
    expect(await screen.findByText('Copied.')).toBeInTheDocument();
  });

  it('shows empty containers inline', () => {
    render(<JsonTree value={{ a: [], b: {} }} />);
    expect(screen.getByText('[]')).toBeInTheDocument();
    expect(screen.getByText('{}')).toBeInTheDocument();
  });
});

describe('ErrorState', () => {
  it('shows status, message and the errors object', () => {
    const error = new ApiError(400, { detail: { name: ['This field may not be blank.'] }, request_id: 'abc' }, '/api/v1/fruits/');
    render(
      <MemoryRouter>
        <ErrorState error={error} />
      </MemoryRouter>,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The request was refused');
    expect(alert).toHaveTextContent('HTTP 400');
    expect(alert).toHaveTextContent('name: This field may not be blank.');
    expect(within(alert).getByText('request_id')).toBeInTheDocument();
    expect(within(alert).getByText('abc')).toBeInTheDocument();
  });

  it('explains a 403 without suggesting to sign in', () => {
    render(
      <MemoryRouter>
        <ErrorState error={new ApiError(403, { exception: 'Permission denied for user.' }, '/x')} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('heading', { name: /Not allowed/ })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'sign in' })).not.toBeInTheDocument();
  });

  it('offers a retry', async () => {
    const onRetry = vi.fn();
    render(
      <MemoryRouter>
        <ErrorState error={new ApiError(0, { detail: 'offline' }, '/x')} onRetry={onRetry} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('heading', { name: 'Cannot reach the server' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalled();
  });

  it('handles plain errors', () => {
    render(
      <MemoryRouter>
        <ErrorState error={new Error('boom')} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Something went wrong');
    expect(screen.getByRole('alert')).toHaveTextContent('boom');
  });
});
