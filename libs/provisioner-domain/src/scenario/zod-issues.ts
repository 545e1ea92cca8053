/**
 * zod issues as scenario issues, worded by the API's `describeIssue` so that `simulate` and `validate` say the
 * same thing about the same mistake (unknown fields with "did you mean", required fields, enum values).
 */
import type { z } from 'zod';
import { describeIssue } from '../apis/index.js';
import type { ScenarioIssue } from './types.js';
import { issueAt, type FieldPath, type SourceDocument } from './yaml-documents.js';

/** Scenario issues for a failed parse with `schema` of `value`, found at `base` in `doc`. */
export function zodIssues(doc: SourceDocument, base: FieldPath, error: z.ZodError, schema: z.ZodType, value: unknown): ScenarioIssue[] {
  return error.issues.map((issue) => {
    const d = describeIssue(issue, schema, value);
    return issueAt(doc, [...base, ...d.path], 'error', d.code, d.message);
  });
}
