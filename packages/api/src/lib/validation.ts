import type { ZodError } from 'zod';
import { ApiError, CommonErrors, type FieldError } from './errors.js';

/** Turns zod issues into `errors[]` entries; fields outside the JSON body are named by where they came from. */
export function fieldErrorsFromZod(error: ZodError, target: string): FieldError[] {
  const prefix = target === 'json' || target === 'form' ? '' : `${target}.`;
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: prefix + (path ? `${path}.${key}` : key), message: 'Unknown field.' });
      continue;
    }
    out.push({ field: prefix + (path || (prefix ? target : 'body')), message: issue.message });
  }
  return out;
}

/** The one validation failure every route raises: 422 with every invalid field listed. */
export function validationError(errors: FieldError[], detail?: string): ApiError {
  const summary = errors
    .slice(0, 3)
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
  return new ApiError(CommonErrors.VALIDATION_FAILED, detail ?? `The request is invalid: ${summary}${errors.length > 3 ? '; …' : ''}`, { errors });
}
