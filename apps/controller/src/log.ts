import { pino, type Logger } from 'pino';

/**
 * The controller's logger: pino JSON lines on stdout shaped like Karpenter's zap output —
 * `{"level":"INFO","time":"<RFC 3339>","logger":"controller","message":"created nodeclaim", ...}` —
 * so the messages and field names a Karpenter user searches for (`NodePool`, `NodeClaim`, `Node`,
 * `instance-type`, `zone`, `capacity-type`, `pods`) read the same.
 */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      messageKey: 'message',
      base: { logger: 'controller' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** `{name}` object reference as Karpenter logs it (`"NodeClaim":{"name":"default-abc"}`). */
export const ref = (name: string | undefined): { name: string } => ({ name: name ?? '' });

/** Karpenter-style pod list: `ns/a, ns/b and 3 other(s)` (at most `max` names). */
export function podList(keys: readonly string[], max = 5): string {
  if (keys.length <= max) return keys.join(', ');
  return `${keys.slice(0, max).join(', ')} and ${keys.length - max} other(s)`;
}
