import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml, type TemplateResult } from 'lit';
import { MemberkitElement, defineElement } from './memberkit-element.js';

// A test-only event, to exercise the typed `emit`.
declare global {
  interface MemberkitEventMap {
    'member-test-ping': { count: number };
  }
}

class TestEmitter extends MemberkitElement {
  ping(count: number): CustomEvent<{ count: number }> {
    return this.emit('member-test-ping', { count });
  }
}

/** Puts an emitter inside its shadow root, so the event must cross it. */
class TestShell extends LitElement {
  protected override render(): TemplateResult {
    return litHtml`<mk-test-emitter></mk-test-emitter>`;
  }
}

defineElement('mk-test-emitter', TestEmitter);
defineElement('mk-test-shell', TestShell);

describe('defineElement', () => {
  it('registers the element under its tag', () => {
    expect(customElements.get('mk-test-emitter')).to.equal(TestEmitter);
  });

  it('does nothing when the tag is already defined, where customElements.define throws', () => {
    class Impostor extends HTMLElement {}

    expect(() => customElements.define('mk-test-emitter', Impostor)).to.throw();
    expect(() => defineElement('mk-test-emitter', Impostor)).not.to.throw();
    expect(() => defineElement('mk-test-emitter', TestEmitter)).not.to.throw();
    expect(customElements.get('mk-test-emitter')).to.equal(TestEmitter);
  });
});

describe('MemberkitElement.emit', () => {
  it('dispatches a bubbling, composed event that a listener outside the shadow root catches', async () => {
    const outer = await fixture<HTMLDivElement>(html`<div><mk-test-shell></mk-test-shell></div>`);
    const shell = outer.querySelector('mk-test-shell') as TestShell;
    await shell.updateComplete;
    const emitter = shell.shadowRoot?.querySelector('mk-test-emitter');
    expect(emitter).to.be.instanceOf(TestEmitter);

    const seen: { event: CustomEvent<{ count: number }>; target: EventTarget | null }[] = [];
    const listener = (event: CustomEvent<{ count: number }>): void => {
      seen.push({ event, target: event.target });
    };
    outer.addEventListener('member-test-ping', listener as EventListener);
    const sent = (emitter as TestEmitter).ping(3);
    outer.removeEventListener('member-test-ping', listener as EventListener);

    expect(seen).to.have.length(1);
    expect(seen[0]?.event).to.equal(sent);
    expect(sent.detail).to.deep.equal({ count: 3 });
    expect(sent.bubbles).to.equal(true);
    expect(sent.composed).to.equal(true);
    expect(sent.cancelable).to.equal(false);
    // Retargeted to the shadow host: the event crossed the shadow boundary.
    expect(seen[0]?.target).to.equal(shell);
  });

  it('stays inside the shadow root when asked not to be composed', async () => {
    const outer = await fixture<HTMLDivElement>(html`<div><mk-test-shell></mk-test-shell></div>`);
    const shell = outer.querySelector('mk-test-shell') as TestShell;
    await shell.updateComplete;
    const emitter = shell.shadowRoot?.querySelector('mk-test-emitter') as TestEmitter;
    let caught = 0;
    const listener = (): void => {
      caught += 1;
    };
    outer.addEventListener('member-test-ping', listener);

    emitter.emit('member-test-ping', { count: 1 }, { composed: false });
    outer.removeEventListener('member-test-ping', listener);

    expect(caught).to.equal(0);
  });
});
