import { createRouteRef } from '@backstage/core-plugin-api';

/** The "Node capacity" page's route (legacy frontend system). */
export const rootRouteRef = createRouteRef({ id: 'karpenter-ts' });
