import { pino, type Logger } from 'pino';

/**
 * The controller's logger: pino JSON lines on stdout shaped like Karpenter's zap output —
 * `{"level":"INFO","time":"<RFC 3339>","logger":"controller","message":"created nodeclaim", ...}` —
 * so the messages and field names a Karpenter user searches for (`NodePool`, `NodeClaim`, `Node`,
 * `instance-type`, `zone`, `capacity-type`, `pods`) read the same.
 */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream, format: 'json' | 'text' = 'json'): Logger {
  const out = destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level,
      messageKey: 'message',
      base: { logger: 'controller' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
      serializers: { err: pino.stdSerializers.err },
    },
    format === 'text' ? textLines(out) : out,
  );
}

/**
 * LOG_FORMAT=text: each JSON entry rewritten as one readable line,
 * `2026-12-06T16:20:00.000Z INFO created nodeclaim NodePool={"name":"default"} instance-type=c-4x`.
 */
function textLines(out: { write(text: string): unknown }): { write(line: string): void } {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const { time, level, message, logger: _logger, ...fields } = entry;
      const rest = Object.entries(fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      out.write(`${String(time)} ${String(level)} ${String(message ?? '')}${rest ? ` ${rest}` : ''}\n`);
    },
  };
}

/** `{name}` object reference as Karpenter logs it (`"NodeClaim":{"name":"default-abc"}`). */
export const ref = (name: string | undefined): { name: string } => ({ name: name ?? '' });

/** Karpenter-style pod list: `ns/a, ns/b and 3 other(s)` (at most `max` names). */
export function podList(keys: readonly string[], max = 5): string {
  if (keys.length <= max) return keys.join(', ');
  return `${keys.slice(0, max).join(', ')} and ${keys.length - max} other(s)`;
}
