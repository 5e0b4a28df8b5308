import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { MultiSelect } from './MultiSelect';

const options = [
  { value: '11', label: '11 · harv011' },
  { value: '100', label: '100 · emu100 (emulator)' },
  { value: '12', label: '12 · harv012' },
];

function Harness({ initial = [] as string[], loadError = null as string | null }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <MultiSelect
        label="Harvesters"
        placeholder="Any harvester"
        options={loadError ? [] : options}
        value={value}
        onChange={setValue}
        loadError={loadError}
        allowCustom={(t) => /^\d+$/.test(t)}
      />
      <output data-testid="value">{value.join(',')}</output>
    </>
  );
}

describe('MultiSelect', () => {
  it('searches, picks with the keyboard, shows chips and closes on Escape', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const toggle = screen.getByRole('button', { name: 'Harvesters: Any harvester' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('searchbox', { name: 'Search harvesters' })).toHaveFocus();
    await user.keyboard('emu{Enter}');
    expect(screen.getByTestId('value')).toHaveTextContent('100');
    await user.click(screen.getByRole('checkbox', { name: '12 · harv012' }));
    expect(screen.getByTestId('value')).toHaveTextContent('100,12');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('searchbox')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Harvesters: 100, 12' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Remove 100 · emu100 (emulator)' }));
    expect(screen.getByTestId('value')).toHaveTextContent(/^12$/);
  });

  it('accepts typed values when the list could not be loaded', async () => {
    const user = userEvent.setup();
    render(<Harness loadError="The harvesters could not be loaded (HTTP 403)." />);
    await user.click(screen.getByRole('button', { name: /Harvesters:/ }));
    expect(screen.getByText(/could not be loaded \(HTTP 403\)\. Type a value and press Enter/)).toBeInTheDocument();
    await user.keyboard('abc');
    expect(screen.queryByRole('button', { name: /Add/ })).not.toBeInTheDocument();
    await user.clear(screen.getByRole('searchbox'));
    await user.keyboard('42{Enter}');
    expect(screen.getByTestId('value')).toHaveTextContent('42');
    expect(screen.getByRole('button', { name: 'Remove 42' })).toBeInTheDocument();
  });

  it('clears the choice', async () => {
    const user = userEvent.setup();
    render(<Harness initial={['11', '12']} />);
    await user.click(screen.getByRole('button', { name: 'Harvesters: 11, 12' }));
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(screen.getByTestId('value')).toBeEmptyDOMElement();
  });
});
