import { WarningPanel } from '@backstage/core-components';
import { Button, Typography } from '@material-ui/core';
import { CapacityApiError } from '../../api';

/** Props of {@link CapacityError}. */
export interface CapacityErrorProps {
  error: Error;
  /** Shows a Retry button when given. */
  onRetry?: () => void;
}

const titles: Record<CapacityApiError['code'], string> = {
  Unauthorized: 'Not signed in to the karpenter-ts controller (401)',
  Forbidden: 'Not allowed to read capacity (403)',
  NotFound: 'The karpenter-ts proxy entry is missing (404)',
  Unavailable: 'The karpenter-ts controller is not available',
  Unreachable: 'Cannot reach the Backstage backend',
  InvalidResponse: 'Unexpected answer from the karpenter-ts controller',
  HttpError: 'The karpenter-ts controller answered with an error',
};

/**
 * A failed load: a title for the {@link CapacityApiError} code, the message, and the hint that names the
 * Backstage proxy setting or RBAC rule to change. Other errors show their message.
 */
export function CapacityError({ error, onRetry }: CapacityErrorProps) {
  const known = error instanceof CapacityApiError ? error : undefined;
  return (
    <WarningPanel severity="error" title={known ? titles[known.code] : 'Could not load node capacity'} defaultExpanded>
      <div data-testid="capacity-error" data-code={known?.code ?? 'Unknown'}>
        <Typography variant="body2" paragraph>
          {error.message}
        </Typography>
        {known && (
          <Typography variant="body2" paragraph>
            <strong>What to do: </strong>
            {known.hint}
          </Typography>
        )}
        {onRetry && (
          <Button variant="outlined" size="small" onClick={onRetry}>
            Retry
          </Button>
        )}
      </div>
    </WarningPanel>
  );
}
