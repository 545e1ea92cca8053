/**
 * Least privilege, checked both ways: every API call the controller's code makes is granted by the
 * permissions table (src/kube/permissions.ts), every table row is used by some call, and config/rbac.yaml
 * grants exactly the table (ClusterRole for `cluster` rows, Role for `namespace` rows). The rendered Helm
 * chart is checked against the same table in chart.e2e.test.ts (it needs the helm binary).
 *
 * Call sites are found with the TypeScript parser: `<...>client.<list|watch|get|create|replace|patch|delete>(type, ...)`
 * with `type` a `resources.X` (or a local constant / conditional / object literal that names one), plus the
 * operator's `informer(resources.X)` (list + watch). A call whose resource cannot be resolved fails the test
 * unless it is the generic machinery listed in `genericCallSites`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { controllerAppDir } from '../testing/harness.js';
import { controllerPermissions, permissionKeys, ruleKeys, scopeKeys, type PolicyRule } from './permissions.js';
import { resources, type ResourceType } from './resources.js';

const srcDir = join(controllerAppDir, 'src');
const verbOfMethod: Record<string, string> = { list: 'list', watch: 'watch', get: 'get', create: 'create', replace: 'update', patch: 'patch', delete: 'delete' };
/** Call sites whose resource is a parameter (the informer's own list/watch): covered by `informer(resources.X)`. */
const genericCallSites = new Set(['kube/informer.ts list', 'kube/informer.ts watch']);

interface CallSite {
  file: string;
  line: number;
  method: string;
  /** `group/resource verb` keys, empty when unresolved. */
  keys: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The ResourceTypes an expression may name: `resources.X`, `a ? resources.X : resources.Y`, `{ group, plural }`, a local const. */
function resolveTypes(expr: ts.Expression, file: ts.SourceFile): ResourceType[] {
  if (ts.isAsExpression(expr) || ts.isParenthesizedExpression(expr) || ts.isSatisfiesExpression(expr)) return resolveTypes(expr.expression, file);
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression) && expr.expression.text === 'resources') {
    const type = (resources as Record<string, ResourceType>)[expr.name.text];
    return type ? [type] : [];
  }
  if (ts.isConditionalExpression(expr)) return [...resolveTypes(expr.whenTrue, file), ...resolveTypes(expr.whenFalse, file)];
  if (ts.isObjectLiteralExpression(expr)) {
    const field = (name: string): string | undefined => {
      const prop = expr.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(file) === name);
      return prop && ts.isStringLiteral(prop.initializer) ? prop.initializer.text : undefined;
    };
    const group = field('group');
    const plural = field('plural');
    return group !== undefined && plural !== undefined ? [{ group, plural, version: '', kind: '', namespaced: false }] : [];
  }
  if (ts.isIdentifier(expr)) {
    const found: ResourceType[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === expr.text && node.initializer) found.push(...resolveTypes(node.initializer, file));
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  }
  return [];
}

/** `subresource: '...'` of an options object literal among the call's arguments. */
function subresourceOf(call: ts.CallExpression, file: ts.SourceFile): string | undefined {
  for (const arg of call.arguments.slice(1)) {
    if (!ts.isObjectLiteralExpression(arg)) continue;
    for (const prop of arg.properties) {
      if (ts.isPropertyAssignment(prop) && prop.name.getText(file) === 'subresource' && ts.isStringLiteral(prop.initializer)) return prop.initializer.text;
    }
  }
  return undefined;
}

function callSites(): CallSite[] {
  const sites: CallSite[] = [];
  for (const path of sourceFiles(srcDir)) {
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const rel = relative(srcDir, path);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.arguments[0] !== undefined) {
        const callee = node.expression;
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        const toKeys = (types: ResourceType[], verbs: string[], sub?: string): string[] =>
          types.flatMap((t) => verbs.map((verb) => `${t.group}/${t.plural}${sub ? `/${sub}` : ''} ${verb}`));
        if (ts.isPropertyAccessExpression(callee) && callee.name.text in verbOfMethod && /(^|\.)client$/.test(callee.expression.getText(file))) {
          const method = callee.name.text;
          sites.push({ file: rel, line, method, keys: toKeys(resolveTypes(node.arguments[0], file), [verbOfMethod[method] ?? method], subresourceOf(node, file)) });
        } else if (ts.isIdentifier(callee) && callee.text === 'informer') {
          sites.push({ file: rel, line, method: 'informer', keys: toKeys(resolveTypes(node.arguments[0], file), ['list', 'watch']) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return sites;
}

function rbacDocuments(text: string): { kind: string; metadata: { name: string; namespace?: string }; rules?: PolicyRule[] }[] {
  return parseAllDocuments(text).map((doc) => doc.toJS() as { kind: string; metadata: { name: string; namespace?: string }; rules?: PolicyRule[] });
}

describe('controller permissions table', () => {
  const sites = callSites();

  it('finds the call sites it is meant to check (the scanner itself works)', () => {
    expect(sites.length).toBeGreaterThan(30);
    expect(sites.some((s) => s.file === 'kube/leaderelection.ts' && s.keys.includes('coordination.k8s.io/leases update'))).toBe(true);
    expect(sites.some((s) => s.keys.includes('/pods/eviction create'))).toBe(true);
    expect(sites.some((s) => s.keys.includes('karpenter.sh/nodepools/status patch') && s.keys.includes('karpenter.sh/provisioners/status patch'))).toBe(true);
  });

  it('resolves the resource of every API call outside the generic informer', () => {
    const unresolved = sites.filter((s) => s.keys.length === 0 && !genericCallSites.has(`${s.file} ${s.method}`));
    expect(unresolved.map((s) => `${s.file}:${s.line} client.${s.method}`)).toEqual([]);
  });

  it('grants every call the code makes (code ⊆ table)', () => {
    const granted = new Set(permissionKeys(controllerPermissions));
    const missing = sites.flatMap((s) => s.keys.filter((k) => !granted.has(k)).map((k) => `${k} (${s.file}:${s.line})`));
    expect(missing).toEqual([]);
  });

  it('grants nothing the code does not call (table ⊆ code)', () => {
    const used = new Set(sites.flatMap((s) => s.keys));
    expect(permissionKeys(controllerPermissions).filter((k) => !used.has(k))).toEqual([]);
  });

  it('has one row per group, resource and scope', () => {
    const rows = controllerPermissions.map((p) => `${p.scope} ${p.apiGroup}/${p.resource}`);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('config/rbac.yaml grants exactly the table: ClusterRole = cluster rows, Role in karpenter = namespace rows', () => {
    const docs = rbacDocuments(readFileSync(join(controllerAppDir, 'config/rbac.yaml'), 'utf8'));
    const clusterRole = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'karpenter-ts-controller');
    const role = docs.find((d) => d.kind === 'Role' && d.metadata.name === 'karpenter-ts-controller');
    expect(ruleKeys(clusterRole?.rules ?? [])).toEqual(scopeKeys('cluster'));
    expect(role?.metadata.namespace).toBe('karpenter');
    expect(ruleKeys(role?.rules ?? [])).toEqual(scopeKeys('namespace'));
    // Bindings: the ClusterRole and the Role are bound to the same subjects.
    const subjects = (kind: string): unknown =>
      (docs.find((d) => d.kind === kind) as { subjects?: unknown } | undefined)?.subjects;
    expect(subjects('RoleBinding')).toEqual(subjects('ClusterRoleBinding'));
  });
});
