export { TeamCapacityCard, TeamCapacityCardContent } from './TeamCapacityCard';
export { teamOfEntity, TEAM_ANNOTATION } from './teamOfEntity';
