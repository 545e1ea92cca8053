import { ApiBlueprint, coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { exampleCapacityResponse } from '@karpenter-ts/capacity-api';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import plugin, { karpenterCapacityApi, karpenterCapacityEntityCard, karpenterCapacityPage } from './alpha';
import { karpenterCapacityApiRef, KarpenterCapacityClient } from './api';

describe('new frontend system plugin', () => {
  it('is the karpenter-ts plugin with an API, a page and an entity card', () => {
    expect(plugin.pluginId).toBe('karpenter-ts');
    expect(plugin.getExtension('api:karpenter-ts')).toBeDefined();
    expect(plugin.getExtension('page:karpenter-ts')).toBeDefined();
    expect(plugin.getExtension('entity-card:karpenter-ts/team-capacity')).toBeDefined();
  });

  it('the entity card is filtered to Group entities', () => {
    const tester = createExtensionTester(karpenterCapacityEntityCard);
    expect(tester.get(EntityCardBlueprint.dataRefs.filterExpression)).toBe('kind:group');
  });

  it('the API extension builds the proxy client', () => {
    const factory = createExtensionTester(karpenterCapacityApi).get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe(karpenterCapacityApiRef.id);
    const client = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://x/api/proxy' },
      fetchApi: { fetch },
      configApi: { getOptionalString: () => undefined },
    });
    expect(client).toBeInstanceOf(KarpenterCapacityClient);
  });

  it('the page renders the teams at /karpenter-ts', async () => {
    const api = { getCapacity: vi.fn(async () => exampleCapacityResponse) };
    const tester = createExtensionTester(karpenterCapacityPage, { apis: [[karpenterCapacityApiRef, api]] });
    expect(tester.get(coreExtensionData.routePath)).toBe('/karpenter-ts');
    renderInTestApp(tester.reactElement(), { apis: [[karpenterCapacityApiRef, api]] });
    // The page's loader is a lazy import: on a loaded machine its first transform takes a while.
    expect(await screen.findByText('payments', { selector: '[data-field="team"]' }, { timeout: 45_000 })).toBeInTheDocument();
    expect(api.getCapacity).toHaveBeenCalled();
  });
});
