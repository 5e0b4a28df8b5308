import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BarChart, niceTicks, sortBars } from './BarChart';

const bars = (container: HTMLElement) =>
  [...container.querySelectorAll('.chart-bar')].map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value'))]);

describe('BarChart', () => {
  it('draws one bar per value, largest first, as one labelled image', () => {
    const { container } = render(
      <BarChart
        title="Exceptions by service"
        unit="exceptions"
        data={[
          { label: 'picker', value: 3 },
          { label: 'traychg', value: 12 },
          { label: 'drive', value: 7 },
          { label: 'arm', value: 7 },
        ]}
      />,
    );
    expect(bars(container)).toEqual([
      ['traychg', 12],
      ['arm', 7],
      ['drive', 7],
      ['picker', 3],
    ]);
    const img = screen.getByRole('img', { name: /Exceptions by service/ });
    expect(img).toHaveAccessibleName(expect.stringContaining('4 values, 29 exceptions in all. traychg: 12; arm: 7'));
    // Bar lengths follow the values; the longest bar is the largest value.
    const widths = [...container.querySelectorAll('.chart-rect')].map((r) => Number(r.getAttribute('width')));
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expect(widths[1]).toBe(widths[2]);
    expect(widths[2]).toBeGreaterThan(widths[3]!);
    // Each bar has a tooltip with the exact value.
    expect(container.querySelector('.chart-bar title')?.textContent).toBe('traychg: 12 exceptions');
  });

  it('says so when there is nothing to draw', () => {
    const { container } = render(<BarChart title="Empty" data={[]} emptyMessage="No data points for these filters." />);
    expect(screen.getByRole('status')).toHaveTextContent('No data points for these filters.');
    expect(container.querySelector('svg')).toBeNull();
  });

  it('draws the largest bars only and says the table has the rest', () => {
    const data = Array.from({ length: 30 }, (_, i) => ({ label: `v${i}`, value: i + 1 }));
    const { container } = render(<BarChart title="Many" data={data} maxBars={10} />);
    expect(bars(container)).toHaveLength(10);
    expect(bars(container)[0]).toEqual(['v29', 30]);
    expect(screen.getByText(/The 10 largest of 30 values are drawn/)).toBeInTheDocument();
  });

  it('shortens long labels but keeps them whole in the tooltip', () => {
    const label = 'AFTExceptionWithAVeryLongNameIndeedThatGoesOn';
    const { container } = render(<BarChart title="Long" data={[{ label, value: 1 }]} />);
    expect(container.querySelector('.chart-label')?.textContent).toMatch(/…$/);
    expect(container.querySelector('.chart-bar title')?.textContent).toBe(`${label}: 1`);
  });
});

describe('chart helpers', () => {
  it('sorts by value then label', () => {
    expect(sortBars([{ label: 'b', value: 1 }, { label: 'a', value: 1 }, { label: 'c', value: 2 }]).map((b) => b.label)).toEqual([
      'c',
      'a',
      'b',
    ]);
  });

  it('picks round ticks covering the maximum', () => {
    expect(niceTicks(12)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0)).toEqual([0]);
    expect(niceTicks(2)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(2, 4, true)).toEqual([0, 1, 2]);
    expect(niceTicks(7, 4, true)).toEqual([0, 2, 4, 6, 8]);
  });
});
