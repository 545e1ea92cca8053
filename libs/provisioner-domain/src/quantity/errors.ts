/** Why a quantity string was rejected; stable literals for callers that map errors to validation findings. */
export type QuantityParseErrorCode = 'EmptyQuantity' | 'InvalidNumber' | 'InvalidSuffix' | 'InvalidExponent' | 'NotFinite';

/**
 * Thrown by `parseQuantity` when the text is not a Kubernetes quantity. `text` is the rejected input as given,
 * and the message names it, e.g. `invalid quantity "12Gb": unknown suffix "Gb"`.
 */
export class QuantityParseError extends Error {
  readonly code: QuantityParseErrorCode;
  readonly text: string;
  constructor(code: QuantityParseErrorCode, text: string, detail: string, options?: { cause?: unknown }) {
    super(`invalid quantity ${JSON.stringify(text)}: ${detail}`, options);
    this.name = 'QuantityParseError';
    this.code = code;
    this.text = text;
  }
}
