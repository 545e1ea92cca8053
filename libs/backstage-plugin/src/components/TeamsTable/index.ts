export { TeamsTable, type TeamsTableProps } from './TeamsTable';
export { toTeamRow, type TeamRow } from './teamRows';
