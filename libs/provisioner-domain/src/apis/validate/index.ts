/** `validate`: all issues of a manifest file, located, with fixes. */
export { validate, formatPath } from './validate.js';
export { describeIssue, didYouMean, editDistance, schemaAt } from './messages.js';
export { CONVERTIBLE_KINDS, KNOWN_KINDS, findKind, isConvertibleKind, type KnownKind } from './kinds.js';
export type { Severity, ValidateOptions, ValidatedDocument, ValidationIssue, ValidationReport } from './types.js';
