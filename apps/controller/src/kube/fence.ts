/** Thrown by a fenced call made after the leadership term that allowed it ended. */
export class LeadershipLostError extends Error {
  readonly code = 'LeadershipLost' as const;
  constructor(message = 'not the leader any more: call refused') {
    super(message);
    this.name = 'LeadershipLostError';
  }
}

/**
 * Wraps `target` (a KubeClient, a CloudProvider) so that every method call made after `signal` aborts rejects
 * with {@link LeadershipLostError} instead of reaching the API: the controllers of a leadership term get fenced
 * handles, so a reconcile still running when the term ends cannot write any more (client-go's leader
 * election leaves this to the process exiting; we keep running and campaign again). Calls already sent are
 * not recalled. Non-function properties pass through.
 */
export function fenced<T extends object>(target: T, signal: AbortSignal): T {
  return new Proxy(target, {
    get(object, property) {
      // Read with the target as receiver, so getters and methods using private fields see the real object.
      const value: unknown = Reflect.get(object, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (signal.aborted) return Promise.reject(new LeadershipLostError());
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}
