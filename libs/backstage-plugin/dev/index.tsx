/**
 * Dev app of the plugin (`npm run dev -w @karpenter-ts/backstage-plugin`), two modes:
 * - fixtures (default): a mock client answering with the shared example response; `?teams=50` answers with 50
 *   synthetic teams instead;
 * - live: `KARPENTER_TS_API=http://127.0.0.1:8080 npm run dev ...` registers the real client, whose calls go to
 *   `/api/proxy/karpenter-ts/...` on the Vite server, which forwards them to the controller (with
 *   `Authorization: Bearer $KARPENTER_TS_TOKEN` when set), as the Backstage proxy does in an app.
 * Pages: /karpenter-ts (the page) and /group-card (the entity card for the Group named by `?group=`, default payments).
 */
import { createApiFactory, discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { karpenterCapacityApiRef, KarpenterCapacityClient, karpenterTsPlugin } from '../src';
import { CapacityPage } from '../src/components/CapacityPage';
import { TeamCapacityCard } from '../src/components/TeamCapacityCard';
import { fixtureCapacityApi } from './fixtures';

const live = import.meta.env['VITE_KARPENTER_TS_MODE'] === 'live';
const params = new URLSearchParams(window.location.search);
const teamsParam = params.get('teams');
const group = params.get('group') ?? 'payments';

createDevApp()
  .registerPlugin(karpenterTsPlugin)
  .registerApi(
    live
      ? createApiFactory({
          api: karpenterCapacityApiRef,
          deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
          factory: ({ discoveryApi, fetchApi }) => new KarpenterCapacityClient({ discoveryApi, fetchApi }),
        })
      : createApiFactory({ api: karpenterCapacityApiRef, deps: {}, factory: () => fixtureCapacityApi(teamsParam ? Number(teamsParam) : undefined) }),
  )
  .addPage({ element: <CapacityPage />, title: 'Node capacity', path: '/karpenter-ts' })
  .addPage({
    element: (
      <EntityProvider entity={{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: group }, spec: {} }}>
        <div style={{ maxWidth: 480, padding: 24 }}>
          <TeamCapacityCard />
        </div>
      </EntityProvider>
    ),
    title: 'Group card',
    path: '/group-card',
  })
  .render();
