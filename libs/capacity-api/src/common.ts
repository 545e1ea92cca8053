import { z } from 'zod';

/**
 * Resource amounts by resource name (`cpu`, `memory`, `pods`, `nvidia.com/gpu`, any extended resource), each a
 * Kubernetes quantity string (`"23700m"`, `"31Gi"`, `"110"`). Zero amounts are left out.
 */
export const ResourceListSchema = z.record(z.string(), z.string());
export type ResourceList = z.infer<typeof ResourceListSchema>;

/**
 * Requested / allocatable per resource name, a fraction (0.5 = 50 %). Only resources with a non-zero
 * allocatable appear; a value above 1 means more is requested than the capacity holds.
 */
export const UtilisationSchema = z.record(z.string(), z.number().nonnegative());
export type Utilisation = z.infer<typeof UtilisationSchema>;

/** USD per hour; never negative. */
export const CostPerHourSchema = z.number().nonnegative();

/**
 * Every error response: 400 bad query, 401 no or bad token, 403 not allowed, 404 unknown path or NodePool,
 * 405 wrong method, 413 body too large, 415 wrong content type, 422 bad scenario, 503 not ready / busy /
 * simulation over its time limit, 500 internal error.
 * `reason` is a stable code (`Unauthorized`, `Forbidden`, `NotFound`, `MethodNotAllowed`, `BadRequest`,
 * `PayloadTooLarge`, `UnsupportedMediaType`, `InvalidScenario`, `NotReady`, `Busy`, `Timeout`, `Internal`),
 * `message` says what happened and what to do for a person.
 */
export const ErrorResponseSchema = z.object({
  error: z.object({
    status: z.number().int(),
    reason: z.string(),
    message: z.string(),
    /** For InvalidScenario: one entry per problem, with the document (0-based), the field path and the line. */
    issues: z
      .array(
        z.object({
          file: z.string(),
          document: z.number().int(),
          path: z.string(),
          line: z.number().int(),
          severity: z.enum(['error', 'warning']),
          message: z.string(),
        }),
      )
      .optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** The `reason` codes of {@link ErrorResponse}. */
export const ERROR_REASONS = [
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'MethodNotAllowed',
  'PayloadTooLarge',
  'UnsupportedMediaType',
  'InvalidScenario',
  'NotReady',
  'Busy',
  'Timeout',
  'Internal',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];
