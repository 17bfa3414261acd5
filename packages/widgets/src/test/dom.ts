/** Small DOM helpers for widget tests: find inside a shadow root, fill inputs as a user would. */

/** The first match of `selector` in `el`'s shadow root; throws when there is none. */
export function q<T extends Element = HTMLElement>(el: Element, selector: string): T {
  const found = el.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`not found in <${el.localName}>: ${selector}`);
  return found;
}

/** Every match of `selector` in `el`'s shadow root. */
export function qa<T extends Element = HTMLElement>(el: Element, selector: string): T[] {
  return Array.from(el.shadowRoot?.querySelectorAll<T>(selector) ?? []);
}

/** Types values into named inputs of `el`'s shadow root (firing `input`). */
export function fill(el: Element, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const input = q<HTMLInputElement>(el, `[name="${name}"]`);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }
}

/** A button of `el`'s shadow root by its visible text. */
export function button(el: Element, text: string): HTMLButtonElement {
  const found = qa<HTMLButtonElement>(el, 'button').find((b) => b.textContent?.trim() === text);
  if (!found)
    throw new Error(
      `no button "${text}" in <${el.localName}>: ${qa(el, 'button')
        .map((b) => b.textContent?.trim())
        .join(', ')}`,
    );
  return found;
}

/** The visible text of `el`'s shadow root, whitespace collapsed. */
export function text(el: Element): string {
  return (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The next `type` event reaching `document` (member events bubble and are composed).
 * Start listening before mounting an element that fires on its own, e.g. as it loads.
 */
export function nextEvent<T = unknown>(type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) =>
    document.addEventListener(type, (event) => resolve(event as CustomEvent<T>), { once: true }),
  );
}
