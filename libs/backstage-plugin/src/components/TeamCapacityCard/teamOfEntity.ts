import type { Entity } from '@backstage/catalog-model';

/**
 * Annotation that names an entity's team when it differs from the entity name (or for entities other than
 * Groups): `karpenter-ts.io/team: payments`.
 */
export const TEAM_ANNOTATION = 'karpenter-ts.io/team';

/**
 * The team whose capacity an entity card shows: the {@link TEAM_ANNOTATION} when set (non-empty), else the
 * name of a `Group` entity (compared with the team label values of namespaces and NodePools), else
 * `undefined` (the card renders nothing).
 */
export function teamOfEntity(entity: Entity): string | undefined {
  const annotated = entity.metadata.annotations?.[TEAM_ANNOTATION]?.trim();
  if (annotated) return annotated;
  if (entity.kind.toLowerCase() === 'group') return entity.metadata.name;
  return undefined;
}
