/** CRD generation from the domain's zod schemas. */
export { buildCrd, openApiSchema, renderCrd, GENERATED_HEADER } from './crd.js';
export { CRD_SOURCES, type CrdSource, type PrinterColumn } from './resources.js';
export { toStructural, UnsupportedSchemaError, celString, type JsonSchema } from './structural.js';
