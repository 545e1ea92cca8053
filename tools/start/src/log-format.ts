/**
 * Renders the controller's pino JSON log lines for people, in the order a Karpenter user reads them:
 * `17:52:01.123 INFO  provisioner  found provisionable pod(s)  pods=default/inflate-1,… nodepool=default`.
 * Input: one line of the controller's stdout. Output: the rendered line; a line that is not pino JSON is
 * returned unchanged. Never throws.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMIT = new Set(['level', 'time', 'msg', 'message', 'pid', 'hostname', 'logger', 'controller', 'name', 'v']);

export function formatLogLine(line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line;
  return formatLogEntry(parsed as Record<string, unknown>);
}

/** Renders one already-parsed log entry (numeric pino levels or Karpenter's `"INFO"` strings; `msg` or `message`). */
export function formatLogEntry(entry: Readonly<Record<string, unknown>>): string {
  const time = typeof entry['time'] === 'number' || typeof entry['time'] === 'string' ? new Date(entry['time']) : undefined;
  const clock = time && !Number.isNaN(time.getTime()) ? time.toISOString().slice(11, 23) : '';
  const level = typeof entry['level'] === 'number' ? (LEVELS[entry['level']] ?? String(entry['level'])) : String(entry['level'] ?? '');
  const logger = String(entry['controller'] ?? entry['logger'] ?? entry['name'] ?? '');
  const message = String(entry['msg'] ?? entry['message'] ?? '');
  const fields = Object.entries(entry)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${renderValue(value)}`)
    .join(' ');
  return [clock, level.padEnd(5), logger, message, fields].filter((part) => part !== '').join('  ');
}

function renderValue(value: unknown): string {
  if (Array.isArray(value)) {
    const shown = value.slice(0, 5).map(renderValue).join(',');
    return value.length > 5 ? `${shown},…(${value.length})` : shown;
  }
  if (typeof value === 'object' && value !== null) {
    // Karpenter's object references ({"name": "x"} or {"namespace": "ns", "name": "x"}) read best as ns/name.
    const ref = value as Record<string, unknown>;
    const keys = Object.keys(ref).sort().join(',');
    if (typeof ref['name'] === 'string' && (keys === 'name' || keys === 'name,namespace')) {
      return typeof ref['namespace'] === 'string' ? `${ref['namespace']}/${ref['name']}` : ref['name'];
    }
    return JSON.stringify(value);
  }
  return String(value);
}
