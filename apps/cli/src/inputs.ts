/**
 * Reading the files a command is given: positional paths and `-f` paths alike, directories expanded to their
 * YAML/JSON files, `-` for standard input, with limits so that no input can exhaust the process.
 */
import { MAX_YAML_DEPTH, yamlNesting, type ScenarioFile } from '@karpenter-ts/provisioner-domain';
import { CliUsageError, type CliIo } from './io.js';

/** Largest file a command reads, in bytes of text (16 MiB: far above any real manifest set). */
export const MAX_INPUT_BYTES = 16 * 2 ** 20;

/** The name messages use for a path: `<stdin>` for `-`. */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/**
 * Reads every path, in order, directories expanded (sorted), each file once.
 * @throws CliUsageError naming the path when it cannot be read, is larger than `MAX_INPUT_BYTES`, holds binary
 * data (a NUL byte), nests deeper than `MAX_YAML_DEPTH`, or when no file is given at all (`what` names the missing argument in the message).
 */
export async function readInputs(io: CliIo, paths: readonly string[], what = 'a file or directory'): Promise<ScenarioFile[]> {
  if (paths.length === 0) throw new CliUsageError(`no input: give ${what} (or - for stdin)`);
  const seen = new Set<string>();
  const files: ScenarioFile[] = [];
  for (const p of paths) {
    let expanded: string[];
    try {
      expanded = await io.expandPath(p);
    } catch (err) {
      throw new CliUsageError(`cannot read ${p}: ${fileErrorText(err)}`, { cause: err });
    }
    if (expanded.length === 0) throw new CliUsageError(`${p} is a directory without .yaml, .yml or .json files`);
    for (const file of expanded) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push({ name: displayName(file), text: await readText(io, file) });
    }
  }
  return files;
}

/** Reads one file as text, with the size and binary checks of `readInputs`. */
export async function readText(io: CliIo, file: string): Promise<string> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (err) {
    throw new CliUsageError(`cannot read ${displayName(file)}: ${fileErrorText(err)}`, { cause: err });
  }
  if (text.length > MAX_INPUT_BYTES) {
    throw new CliUsageError(`${displayName(file)} is ${(text.length / 2 ** 20).toFixed(1)} MiB; the limit is ${MAX_INPUT_BYTES / 2 ** 20} MiB: split it into several files`);
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new CliUsageError(`${displayName(file)} is not text (binary data at byte ${nul}): give YAML or JSON manifests`);
  const nesting = yamlNesting(text);
  if (nesting.depth > MAX_YAML_DEPTH) throw new CliUsageError(`${displayName(file)}:${nesting.line}: the YAML nests ${nesting.depth} levels deep; the limit is ${MAX_YAML_DEPTH}: flatten it`);
  return text;
}

/** A file-system error as a sentence for people: `no such file (check the path)` rather than `ENOENT: ... stat '...'`. */
export function fileErrorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory (check the path)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return (err as Error | undefined)?.message ?? String(err);
  }
}
