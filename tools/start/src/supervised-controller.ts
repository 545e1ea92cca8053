/**
 * The controller as `npm start` runs it: started through the controller's test harness (`startController`,
 * which resolves once /readyz answers) and kept up by local-cluster's {@link Supervisor}: when it exits on
 * its own, the exit and its last output lines are reported through `onEvent` and it is started again with
 * backoff, while the cluster stays up.
 */
import { Supervisor, type RestartPolicy, type SupervisedRun, type SupervisorClock, type SupervisorEvent } from '@karpenter-ts/local-cluster';
import { startController, type RunningController, type StartControllerOptions } from '@karpenter-ts/controller/testing';
import { formatLogLine } from './log-format.js';

/** One controller process under supervision. */
export interface ControllerRun extends SupervisedRun {
  readonly controller: RunningController;
}

/** Options of {@link startSupervisedController}: those of `startController` plus the supervision's. */
export interface SupervisedControllerOptions extends StartControllerOptions {
  /** Crash, restart and give-up reports (see {@link SupervisorEvent}). */
  onEvent: (event: SupervisorEvent) => void;
  policy?: Partial<RestartPolicy>;
  clock?: SupervisorClock;
  /** Lines of the controller's output in a crash report. Default 10. */
  tailLines?: number;
}

/** Adapts a running controller: its exit, its last output (log lines rendered for people), its graceful stop. */
export function controllerRun(controller: RunningController, tailLines = 10): ControllerRun {
  return {
    controller,
    exited: controller.exit,
    logTail: () => controller.outputTail(tailLines).map(formatLogLine).join('\n'),
    stop: async () => {
      await controller.stop();
    },
  };
}

/**
 * Starts the controller (rejecting with the harness's `ControllerStartError` when the first start fails:
 * a controller that cannot start at all is reported, not retried) and supervises it. `supervisor.current`
 * is the running controller, undefined while it is down; `supervisor.stop()` stops it for good.
 */
export async function startSupervisedController(options: SupervisedControllerOptions): Promise<Supervisor<ControllerRun>> {
  const { onEvent, policy, clock, tailLines, ...startOptions } = options;
  const initial = controllerRun(await startController(startOptions), tailLines);
  return new Supervisor<ControllerRun>({
    name: 'controller',
    initial,
    restart: async () => controllerRun(await startController(startOptions), tailLines),
    onEvent,
    ...(policy ? { policy } : {}),
    ...(clock ? { clock } : {}),
  });
}
