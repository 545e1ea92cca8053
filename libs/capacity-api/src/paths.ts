/** Paths of the API, relative to the controller's API server root. */
export const API_PATHS = {
  capacity: '/api/v1/capacity',
  pending: '/api/v1/pending',
  instanceTypes: '/api/v1/instancetypes',
  simulate: '/api/v1/simulate',
} as const;

/**
 * The virtual resources a SubjectAccessReview checks, in API group {@link API_GROUP} (no CRD backs them; a
 * ClusterRole grants them like any other resource): `get` on `capacity` for /capacity and /pending, `get` on
 * `instancetypes` for /instancetypes, `create` on `simulations` for /simulate.
 */
export const API_GROUP = 'karpenter-ts.io';
export const API_RESOURCES = {
  capacity: { resource: 'capacity', verb: 'get' },
  pending: { resource: 'capacity', verb: 'get' },
  instanceTypes: { resource: 'instancetypes', verb: 'get' },
  simulate: { resource: 'simulations', verb: 'create' },
} as const;
