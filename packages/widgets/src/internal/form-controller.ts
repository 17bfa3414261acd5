import { MemberkitError } from '@memberkit/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Strings } from '../i18n/strings.js';
import { describeSetupProblem, setupProblemOf } from './setup-problem.js';

/** The element a {@link FormController} serves: a Lit host with a shadow root. */
export type FormHost = ReactiveControllerHost & HTMLElement;

/** Field errors by field name (the API's names: `email`, `custom_fields.size`). */
export type FieldErrors = Record<string, string>;

/**
 * Checks a form's inputs before sending, with messages in the widget's language (the
 * browser's own bubbles speak the browser's language and are off: forms are
 * `novalidate`). Covers what the inputs declare: `required`, `type=email`, `minlength`.
 */
export function validateForm(form: HTMLFormElement, strings: Strings): FieldErrors {
  const errors: FieldErrors = {};
  for (const element of Array.from(form.elements)) {
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) continue;
    if (!element.name || errors[element.name]) continue;
    if (element instanceof HTMLInputElement && element.type === 'checkbox') {
      if (element.required && !element.checked) errors[element.name] = strings.t('common.required');
      continue;
    }
    const value = element.value.trim();
    if (element.required && !value) errors[element.name] = strings.t('common.required');
    else if (
      element instanceof HTMLInputElement &&
      element.type === 'email' &&
      value &&
      !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
    )
      errors[element.name] = strings.t('common.invalidEmail');
    else if (
      element instanceof HTMLInputElement &&
      element.minLength > 0 &&
      value &&
      element.value.length < element.minLength
    )
      errors[element.name] = strings.t('common.passwordTooShort');
  }
  return errors;
}

/**
 * Turns an API error into what a form shows: inline errors from the problem's
 * `errors[]` (for fields the form has), else one message for the whole form.
 * Known codes get messages in the widget's language.
 */
export function describeError(
  error: unknown,
  strings: Strings,
  fieldNames: ReadonlySet<string>,
): { fields: FieldErrors; message: string } {
  const fields: FieldErrors = {};
  if (!(error instanceof MemberkitError)) return { fields, message: strings.t('common.error') };
  for (const item of error.errors) {
    const name = fieldNames.has(item.field) ? item.field : undefined;
    if (!name || fields[name]) continue;
    fields[name] = /required/i.test(item.message) ? strings.t('common.required') : item.message;
  }
  const unplaced = error.errors.filter((item) => !fieldNames.has(item.field));
  let message = '';
  const problem = setupProblemOf(error);
  if (problem) message = describeSetupProblem(problem, strings);
  else if (error.status === 0) message = strings.t('common.network');
  else if (error.status === 429) message = strings.t('common.rateLimited');
  else if (Object.keys(fields).length > 0 && unplaced.length === 0) message = strings.t('common.errorSummary');
  else if (unplaced.length > 0) message = unplaced.map((item) => `${item.field}: ${item.message}`).join(' ');
  else message = error.detail || error.title || strings.t('common.error');
  return { fields, message };
}

/**
 * State of one form in a widget: busy flag, inline field errors, a form-level error
 * and a success message. `submit()` validates, runs the action, maps API errors to
 * fields and moves focus to the first invalid field.
 */
export class FormController implements ReactiveController {
  busy = false;
  errors: FieldErrors = {};
  /** Form-level error, announced through the form's `role="alert"` region. */
  message = '';
  /** Success text, announced through a `role="status"` region. */
  status = '';

  readonly #host: FormHost;

  constructor(host: FormHost) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Clears errors and messages (e.g. when switching views). */
  reset(): void {
    this.errors = {};
    this.message = '';
    this.status = '';
    this.busy = false;
    this.#host.requestUpdate();
  }

  /**
   * Handles a submit event: validates the form, then runs `action` with its data.
   * Returns the action's result, or `undefined` when validation or the action failed
   * (the error is then shown and `onError` called).
   */
  async submit<T>(
    event: SubmitEvent,
    strings: Strings,
    action: (data: FormData, form: HTMLFormElement) => Promise<T>,
    onError?: (error: unknown) => void,
  ): Promise<T | undefined> {
    event.preventDefault();
    return this.run(event.currentTarget as HTMLFormElement, strings, action, onError);
  }

  /** Like {@link submit}, for a form submitted another way (a second action button). */
  async run<T>(
    form: HTMLFormElement,
    strings: Strings,
    action: (data: FormData, form: HTMLFormElement) => Promise<T>,
    onError?: (error: unknown) => void,
  ): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.status = '';
    this.message = '';
    this.errors = validateForm(form, strings);
    if (Object.keys(this.errors).length > 0) {
      this.message = strings.t('common.errorSummary');
      await this.#focusFirstError(form);
      return undefined;
    }
    this.busy = true;
    this.#host.requestUpdate();
    try {
      return await action(new FormData(form), form);
    } catch (error) {
      const names = new Set(Array.from(form.elements, (element) => (element as HTMLInputElement).name).filter(Boolean));
      const described = describeError(error, strings, names);
      this.errors = described.fields;
      this.message = described.message;
      onError?.(error);
      await this.#focusFirstError(form);
      return undefined;
    } finally {
      this.busy = false;
      this.#host.requestUpdate();
    }
  }

  /** Shows an error that did not come from a submit (e.g. a failed button action). */
  fail(error: unknown, strings: Strings): void {
    this.message = describeError(error, strings, new Set()).message;
    this.status = '';
    this.#host.requestUpdate();
  }

  async #focusFirstError(form: HTMLFormElement): Promise<void> {
    this.#host.requestUpdate();
    await (this.#host as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = invalid instanceof HTMLFieldSetElement ? invalid.querySelector<HTMLElement>('input') : invalid;
    target?.focus();
  }
}
