export { UtilisationBar, type UtilisationBarProps } from './UtilisationBar';
