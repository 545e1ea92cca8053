/**
 * Limits that keep reading YAML bounded whatever the input. The `yaml` library composes documents recursively,
 * so a document nested thousands of levels deep (`[[[[...]]]]`) exhausts the stack or the heap before it can
 * report anything; Kubernetes manifests nest a few dozen levels at most. `yamlNesting` finds the deepest point
 * of a text without parsing it, so callers can refuse such input with a located message first.
 */

/** Deepest nesting (block indentation levels plus open flow brackets) a manifest may have. */
export const MAX_YAML_DEPTH = 128;

/** The deepest nesting of `text` and the 1-based line where it is first reached. */
export function yamlNesting(text: string): { depth: number; line: number } {
  let best = { depth: 0, line: 1 };
  const indents: number[] = [];
  let flow = 0;
  let lineNumber = 0;
  for (const raw of text.split('\n')) {
    lineNumber += 1;
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (flow === 0) {
      // Block structure: each "- " of a sequence entry opens one more level, like deeper indentation.
      let indent = raw.length - trimmed.length;
      let rest = trimmed;
      const levels: number[] = [];
      while (/^-(\s|$)/.test(rest)) {
        levels.push(indent);
        const after = rest.slice(1);
        const spaces = after.length - after.trimStart().length;
        indent += 1 + spaces;
        rest = after.trimStart();
      }
      levels.push(indent);
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= (levels[0] as number)) indents.pop();
      indents.push(...levels);
    }
    let quote: string | undefined;
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i];
      if (quote) {
        if (ch === quote) quote = undefined;
        else if (ch === '\\' && quote === '"') i++;
        continue;
      }
      if (ch === '#' && (i === 0 || /\s/.test(raw[i - 1] ?? ''))) break;
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '[' || ch === '{') {
        flow += 1;
        if (indents.length + flow > best.depth) best = { depth: indents.length + flow, line: lineNumber };
      } else if ((ch === ']' || ch === '}') && flow > 0) flow -= 1;
    }
    if (indents.length + flow > best.depth) best = { depth: indents.length + flow, line: lineNumber };
  }
  return best;
}
