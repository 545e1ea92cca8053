/**
 * EC2NodeClass names across the workspace, for the cross-document nodeClassRef check: names per file, from files on
 * disk (a bounded scan of the workspace folders) and open documents (whose text wins over the disk).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Limits of the disk scan, so a huge workspace cannot stall the server. */
export const SCAN_LIMITS = { maxFiles: 5_000, maxFileBytes: 1_000_000, maxDepth: 12 } as const;
const SKIP_DIRS = new Set(['node_modules', '.git', '.nx', 'dist', 'out', '.cache', 'vendor']);

/** EC2NodeClass names declared in a text (karpenter.k8s.aws/v1); none for texts above `SCAN_LIMITS.maxFileBytes`. Never throws. */
export function nodeClassNamesIn(text: string): string[] {
  if (text.length > SCAN_LIMITS.maxFileBytes) return [];
  if (!/kind["']?\s*:\s*["']?EC2NodeClass/.test(text)) return [];
  const out: string[] = [];
  try {
    for (const doc of parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      if (doc.errors.length) continue;
      const value = doc.toJS({ maxAliasCount: 100 }) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
      if (value && value.kind === 'EC2NodeClass' && typeof value.apiVersion === 'string' && value.apiVersion.startsWith('karpenter.k8s.aws/') && typeof value.metadata?.name === 'string') out.push(value.metadata.name);
    }
  } catch {
    return out;
  }
  return out;
}

/** Names per file key (a document URI or a file path), merged into one set on demand. */
export class NodeClassIndex {
  private readonly byKey = new Map<string, readonly string[]>();

  /** Sets the names of one file; returns true when they changed. */
  set(key: string, names: readonly string[]): boolean {
    const before = this.byKey.get(key) ?? [];
    if (before.length === names.length && before.every((n, i) => n === names[i])) return false;
    if (names.length) this.byKey.set(key, names);
    else this.byKey.delete(key);
    return true;
  }

  /** Every known name, leaving out those of `exceptKey` (a document whose own names its analysis reads itself). */
  names(exceptKey?: string): Set<string> {
    const out = new Set<string>();
    for (const [key, names] of this.byKey) if (key !== exceptKey) for (const n of names) out.add(n);
    return out;
  }

  /** Scans `root` for YAML files declaring EC2NodeClasses, within `SCAN_LIMITS`; `keyOf` maps a path to its key. */
  async scan(root: string, keyOf: (file: string) => string): Promise<void> {
    let files = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > SCAN_LIMITS.maxDepth || files >= SCAN_LIMITS.maxFiles) return;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (files >= SCAN_LIMITS.maxFiles) return;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(full, depth + 1);
        } else if (e.isFile() && /\.(ya?ml)$/i.test(e.name)) {
          files++;
          try {
            if ((await stat(full)).size > SCAN_LIMITS.maxFileBytes) continue;
            this.set(keyOf(full), nodeClassNamesIn(await readFile(full, 'utf8')));
          } catch {
            // unreadable file: skipped
          }
        }
      }
    };
    await walk(root, 0);
  }
}
