export { CapacityPage, CapacityContent, TEAM_QUERY_PARAM } from './CapacityPage';
