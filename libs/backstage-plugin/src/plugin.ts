import {
  configApiRef,
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { karpenterCapacityApiRef, KarpenterCapacityClient } from './api';
import { rootRouteRef } from './routes';

/** The app-config.yaml key of the proxy path (`karpenterTs.proxyPath`, default `/karpenter-ts`). */
export const PROXY_PATH_CONFIG_KEY = 'karpenterTs.proxyPath';

/**
 * The karpenter-ts plugin for Backstage's legacy frontend system: registers the
 * {@link karpenterCapacityApiRef} client (through the Backstage proxy entry named by `karpenterTs.proxyPath`,
 * default `/karpenter-ts`) and the page route.
 */
export const karpenterTsPlugin = createPlugin({
  id: 'karpenter-ts',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: karpenterCapacityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef, configApi: configApiRef },
      factory: ({ discoveryApi, fetchApi, configApi }) => {
        const proxyPath = configApi.getOptionalString(PROXY_PATH_CONFIG_KEY);
        return new KarpenterCapacityClient({ discoveryApi, fetchApi, ...(proxyPath ? { proxyPath } : {}) });
      },
    }),
  ],
});

/** The "Node capacity" page: mount it on a route of the app, e.g. `<Route path="/karpenter-ts" element={<KarpenterCapacityPage />} />`. */
export const KarpenterCapacityPage = karpenterTsPlugin.provide(
  createRoutableExtension({
    name: 'KarpenterCapacityPage',
    component: () => import('./components/CapacityPage').then((m) => m.CapacityPage),
    mountPoint: rootRouteRef,
  }),
);

/** Entity card for Group pages: the team's capacity, cost and pending pods (nothing for entities without a team). */
export const EntityKarpenterCapacityCard = karpenterTsPlugin.provide(
  createComponentExtension({
    name: 'EntityKarpenterCapacityCard',
    component: { lazy: () => import('./components/TeamCapacityCard').then((m) => m.TeamCapacityCard) },
  }),
);
