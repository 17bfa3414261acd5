import { createContext } from '@lit/context';
import { MemberkitError } from '@memberkit/sdk';
import type { Strings } from '../i18n/strings.js';

/**
 * What keeps the widgets from working on this page at all, whatever the visitor
 * does: the page's origin is not among those the publishable key (or the tenant)
 * allows. Shown in place of the widgets, worded for the site owner, because a
 * visitor can do nothing about it and "cannot reach the service" sends the owner
 * looking in the wrong place.
 */
export interface SetupProblem {
  /** The API's error code. */
  code: 'ORIGIN_NOT_ALLOWED';
  /** The page's origin, to be added to the key's allowed origins. */
  origin: string;
}

/** The API's code for a request from an origin the key does not allow (a 403 the page can read). */
export const ORIGIN_NOT_ALLOWED = 'ORIGIN_NOT_ALLOWED';

/** The setup problem an API error reveals, or undefined for any other error (they may pass: retry, network). */
export function setupProblemOf(error: unknown): SetupProblem | undefined {
  if (!(error instanceof MemberkitError) || error.code !== ORIGIN_NOT_ALLOWED) return undefined;
  return { code: ORIGIN_NOT_ALLOWED, origin: location.origin };
}

/** The message for a setup problem, in the widget's language. */
export function describeSetupProblem(problem: SetupProblem, strings: Strings): string {
  return strings.t('common.originNotAllowed', { origin: problem.origin });
}

/** Context through which `<member-provider>` tells the elements inside that they cannot work on this page. */
export const setupProblemContext = createContext<SetupProblem | undefined>(Symbol.for('memberkit.setupProblem'));
