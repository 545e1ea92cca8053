import { LinearProgress, Tooltip, Typography, makeStyles } from '@material-ui/core';
import { formatAmount, formatPercent, resourceLabel, type ResourceUsage } from '../../format';

const useStyles = makeStyles((theme) => ({
  root: { minWidth: 120 },
  text: { whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' },
  bar: { height: 6, borderRadius: 3, marginTop: theme.spacing(0.5) },
  warn: { backgroundColor: theme.palette.warning.main },
  over: { backgroundColor: theme.palette.error.main },
}));

/** Props of {@link UtilisationBar}. */
export interface UtilisationBarProps {
  usage: ResourceUsage;
}

/**
 * Requested vs allocatable of one resource, as eks-node-viewer shows it: the amounts as text and a bar of the
 * API's utilisation (warning colour from 80 %, error colour above 100 %, i.e. over-committed requests).
 * Without allocatable capacity (a team with no NodePool of its own) it shows the requested amount alone.
 */
export function UtilisationBar({ usage }: UtilisationBarProps) {
  const classes = useStyles();
  const requested = formatAmount(usage.resource, usage.requested);
  if (usage.allocatable === 0 || usage.utilisation === undefined) {
    return (
      <Typography variant="body2" className={classes.text} data-requested={usage.requested}>
        {requested} requested
      </Typography>
    );
  }
  const percent = formatPercent(usage.utilisation);
  const barClass = usage.utilisation > 1 ? classes.over : usage.utilisation >= 0.8 ? classes.warn : undefined;
  const label = `${resourceLabel(usage.resource)}: ${requested} requested of ${formatAmount(usage.resource, usage.allocatable)} allocatable (${percent} utilised)`;
  return (
    <Tooltip title={label}>
      <div className={classes.root} data-requested={usage.requested} data-allocatable={usage.allocatable}>
        <Typography variant="body2" className={classes.text}>
          {requested} / {formatAmount(usage.resource, usage.allocatable)} · {percent}
        </Typography>
        <LinearProgress
          variant="determinate"
          value={Math.min(100, usage.utilisation * 100)}
          className={classes.bar}
          classes={barClass ? { bar: barClass } : {}}
          aria-label={label}
        />
      </div>
    </Tooltip>
  );
}
