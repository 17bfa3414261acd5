import { MemberkitError } from '@memberkit/sdk';
import { errorMessage } from '../internal/admin-element.js';
import type { AdminStrings } from '../i18n/index.js';

/**
 * What the API said went wrong, for people: the problem's `detail` (or `title`) and
 * the messages of the fields it names, so a refused refund says why.
 */
export function problemMessage(error: unknown, strings: AdminStrings): string {
  if (error instanceof MemberkitError && error.status !== 403 && error.status !== 0) {
    const head = error.detail || error.title || strings.genericError;
    // Field messages the detail does not already say.
    const fields = error.errors.filter((e) => !head.includes(e.message)).map((e) => `${e.field}: ${e.message}`);
    return [head, ...fields].join(' ');
  }
  return errorMessage(error, strings);
}
