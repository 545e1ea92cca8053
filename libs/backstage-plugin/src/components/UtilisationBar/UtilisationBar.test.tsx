import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { UtilisationBar } from './UtilisationBar';

describe('UtilisationBar', () => {
  it('shows requested of allocatable with the utilisation bar', async () => {
    await renderInTestApp(<UtilisationBar usage={{ resource: 'cpu', requested: 2000, allocatable: 3920, utilisation: 0.5102 }} />);
    expect(screen.getByText('2 / 3.92 · 51%')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '51');
    expect(bar).toHaveAttribute('aria-label', 'cpu: 2 requested of 3.92 allocatable (51% utilised)');
  });

  it('caps the bar at 100 % when requests exceed allocatable', async () => {
    await renderInTestApp(<UtilisationBar usage={{ resource: 'memory', requested: 3 * 2 ** 30, allocatable: 2 * 2 ** 30, utilisation: 1.5 }} />);
    expect(screen.getByText('3 GiB / 2 GiB · 150%')).toBeInTheDocument();
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  });

  it('shows the requested amount alone without allocatable capacity', async () => {
    await renderInTestApp(<UtilisationBar usage={{ resource: 'cpu', requested: 500, allocatable: 0, utilisation: undefined }} />);
    expect(screen.getByText('0.5 requested')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
  });
});
