export { TeamDetail, type TeamDetailProps } from './TeamDetail';
export { nodePoolsOfTeam, nodesOfTeam, nodeState, type TeamNode } from './teamNodes';
