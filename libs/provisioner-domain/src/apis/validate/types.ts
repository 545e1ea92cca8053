/**
 * Shapes of `validate`'s output: one finding per problem, located by field path and 1-based line/column range
 * (as editors show them), in the stable JSON format of DESIGN §4.2b (minus `file`, which the CLI adds).
 */
import type { Pod } from '../../core/types.js';
import type { InstanceType } from '../../instancetypes/types.js';

export type Severity = 'error' | 'warning' | 'info';

/** One finding. Lines and columns are 1-based; `endLine`/`endColumn` point just past the offending text. */
export interface ValidationIssue {
  /** 0-based index of the YAML document in the file. */
  document: number;
  severity: Severity;
  /** Stable code, e.g. `requirement-in-without-values`, `unknown-field`, `yaml-syntax`. */
  code: string;
  /** Field path such as `spec.template.spec.requirements[2].values`; `''` for the document itself. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
  /**
   * The text that replaces the offending key or value when the finding names one (the nearest known field, enum
   * value, kind or catalog value, or the new name of a renamed value): what an editor's quick fix writes in place.
   */
  suggestion?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Options of `validate`. */
export interface ValidateOptions {
  /**
   * The instance types in use, for warnings about requirements no type satisfies and unreachable limits. An
   * `InstanceTypeCatalog` document in the text takes precedence. Without either, those checks are skipped.
   */
  catalog?: readonly InstanceType[];
  /** How messages name the catalog, e.g. the file it came from (`aws.yaml`); `the given catalog` when absent. */
  catalogName?: string;
  /** Pending pods, for "no pod could use this NodePool" warnings. `Pod` documents in the text are added. */
  pods?: readonly Pod[];
  /**
   * Also check the unserved versions `convert` reads (karpenter.sh/v1beta1 NodePool and NodeClaim,
   * karpenter.k8s.aws/v1beta1 EC2NodeClass) against their own schema, instead of reporting them as not served.
   * Default false.
   */
  acceptConvertible?: boolean;
}

/** A Karpenter object found in the text, decoded when it passed its schema. */
export interface ValidatedDocument {
  document: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
  /** The schema-checked value (defaults not applied), when it had no errors. */
  value?: unknown;
}

/** The result: `ok` is false when any issue is an error. Issues are ordered by position. */
export interface ValidationReport {
  ok: boolean;
  issues: ValidationIssue[];
  documents: ValidatedDocument[];
}
