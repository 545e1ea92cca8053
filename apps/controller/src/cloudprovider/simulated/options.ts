import type { Options } from '../../options.js';
import type { SimulatedCloudProviderOptions } from './simulated.js';

/**
 * The simulated provider's knobs from the controller's options (SIMULATED_LAUNCH_DELAY, SIMULATED_READY_DELAY,
 * SIMULATED_LAUNCH_FAILURES, SIMULATED_LAUNCH_FAILURE_RATE, SIMULATED_LAUNCH_FAILURE_SEED,
 * SIMULATED_LAUNCH_FAILURE_KIND); all default to a fast, reliable cloud.
 */
export function simulatedProviderOptions(options: Options): Omit<SimulatedCloudProviderOptions, 'client' | 'clock'> {
  return {
    launchDelayMs: options.simulatedLaunchDelayMs,
    readyDelayMs: options.simulatedReadyDelayMs,
    failures: {
      firstCreates: options.simulatedLaunchFailures,
      rate: options.simulatedLaunchFailureRate,
      seed: options.simulatedLaunchFailureSeed,
      kind: options.simulatedLaunchFailureKind,
    },
  };
}
