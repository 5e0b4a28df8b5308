import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { lazyPage } from './lazyPage';

function Hello({ name }: { name: string }) {
  return <h1>Hello {name}</h1>;
}

describe('lazyPage', () => {
  it('shows "Loading page…" until the chunk is there, then the page with its props', async () => {
    let resolve!: (c: typeof Hello) => void;
    const Page = lazyPage(() => new Promise<typeof Hello>((r) => (resolve = r)));
    render(<Page name="Ada" />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading page…');
    resolve(Hello);
    expect(await screen.findByRole('heading', { name: 'Hello Ada' })).toBeInTheDocument();
  });

  it('renders a preloaded page at once, loading its chunk only once', async () => {
    let loads = 0;
    const Page = lazyPage(async () => {
      loads++;
      return Hello;
    });
    await Page.preload();
    render(<Page name="Bob" />);
    expect(screen.getByRole('heading', { name: 'Hello Bob' })).toBeInTheDocument();
    await Page.preload();
    expect(loads).toBe(1);
  });

  it('says so when the chunk cannot be loaded, and tries again on request', async () => {
    let loads = 0;
    const Page = lazyPage(async () => {
      if (++loads === 1) throw new Error('Failed to fetch dynamically imported module');
      return Hello;
    });
    render(
      <MemoryRouter>
        <Page name="Cy" />
      </MemoryRouter>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent('This page could not be loaded');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Hello Cy' })).toBeInTheDocument();
    expect(loads).toBe(2);
  });
});
