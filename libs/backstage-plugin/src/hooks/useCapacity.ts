import { useApi } from '@backstage/core-plugin-api';
import type { CapacityResponse } from '@karpenter-ts/capacity-api';
import { useCallback, useEffect, useState } from 'react';
import { karpenterCapacityApiRef } from '../api';

/** What {@link useCapacity} returns: exactly one of loading, error or value is set, plus `retry`. */
export interface CapacityState {
  loading: boolean;
  error: Error | undefined;
  value: CapacityResponse | undefined;
  /** Fetches again (keeps showing the last value while it loads). */
  retry: () => void;
}

/**
 * Loads `GET /api/v1/capacity?groupBy=team` through the plugin's API; aborts the request on unmount or
 * when a newer one starts, so a late answer never overwrites a newer one.
 */
export function useCapacity(options: { shareIdle?: boolean } = {}): CapacityState {
  const api = useApi(karpenterCapacityApiRef);
  const shareIdle = options.shareIdle ?? false;
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Omit<CapacityState, 'retry'>>({ loading: true, error: undefined, value: undefined });

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    api.getCapacity({ shareIdle, signal: controller.signal }).then(
      (value) => {
        if (!controller.signal.aborted) setState({ loading: false, error: undefined, value });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ loading: false, error: error instanceof Error ? error : new Error(String(error)), value: undefined });
      },
    );
    return () => controller.abort();
  }, [api, shareIdle, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
