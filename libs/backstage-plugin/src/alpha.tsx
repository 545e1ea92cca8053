/**
 * The karpenter-ts plugin for Backstage's new frontend system (`@karpenter-ts/backstage-plugin/alpha`):
 * the capacity API client, the "Node capacity" page at `/karpenter-ts`, and an entity card shown on Group
 * entities (`kind:group`). Install with `features: [karpenterTsPlugin]` or package discovery.
 */
import { Content } from '@backstage/core-components';
import {
  ApiBlueprint,
  PageBlueprint,
  configApiRef,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { karpenterCapacityApiRef, KarpenterCapacityClient } from './api';
import { PROXY_PATH_CONFIG_KEY } from './plugin';

/** The page's route in the new frontend system. */
export const capacityRouteRef = createRouteRef();

/** API extension: {@link KarpenterCapacityClient} through the Backstage proxy. */
export const karpenterCapacityApi = ApiBlueprint.make({
  params: (defineParams) =>
    defineParams({
      api: karpenterCapacityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef, configApi: configApiRef },
      factory: ({ discoveryApi, fetchApi, configApi }) => {
        const proxyPath = configApi.getOptionalString(PROXY_PATH_CONFIG_KEY);
        return new KarpenterCapacityClient({ discoveryApi, fetchApi, ...(proxyPath ? { proxyPath } : {}) });
      },
    }),
});

/** Page extension: "Node capacity" at `/karpenter-ts`. */
export const karpenterCapacityPage = PageBlueprint.make({
  params: {
    path: '/karpenter-ts',
    title: 'Node capacity',
    routeRef: capacityRouteRef,
    loader: () =>
      import('./components/CapacityPage').then((m) => (
        <Content>
          <m.CapacityContent />
        </Content>
      )),
  },
});

/** Entity card extension on Group entities: the team's capacity (nothing without a team). */
export const karpenterCapacityEntityCard = EntityCardBlueprint.make({
  name: 'team-capacity',
  params: {
    filter: 'kind:group',
    loader: () => import('./components/TeamCapacityCard').then((m) => <m.TeamCapacityCard />),
  },
});

/** The plugin (id `karpenter-ts`) with its API, page and entity card. */
export default createFrontendPlugin({
  pluginId: 'karpenter-ts',
  title: 'Node capacity',
  routes: { root: capacityRouteRef },
  extensions: [karpenterCapacityApi, karpenterCapacityPage, karpenterCapacityEntityCard],
});
