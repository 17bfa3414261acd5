import { consume } from '@lit/context';
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { defaultTheme, defineElement, themeContext, type MemberkitTheme } from '@memberkit/elements-core';
import './member-provider.js';
import type { MemberProvider } from './member-provider.js';

/** Reads the theme the way future widgets will: through context. */
class ThemeConsumer extends LitElement {
  @consume({ context: themeContext, subscribe: true })
  @property({ attribute: false })
  theme?: MemberkitTheme;

  protected override render(): TemplateResult {
    return litHtml`<span>${this.theme?.color_primary ?? 'none'}</span>`;
  }
}
defineElement('mk-test-theme-consumer', ThemeConsumer);

function token(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim();
}

describe('<member-provider>', () => {
  it('renders its slotted content', async () => {
    const el = await fixture<MemberProvider>(html`<member-provider><p>Welcome, member</p></member-provider>`);

    const slot = el.shadowRoot?.querySelector('slot');
    const assigned = slot?.assignedElements() ?? [];
    expect(assigned).to.have.length(1);
    expect(assigned[0]?.textContent).to.equal('Welcome, member');
    expect(el.querySelector('p')?.getBoundingClientRect().height).to.be.greaterThan(0);
  });

  it('sets the --mk-* custom properties on the host from the theme', async () => {
    const theme = { color_primary: '#ff0000', color_danger: '#990000', font_family: 'Georgia, serif', radius: 4 };
    const el = await fixture<MemberProvider>(html`<member-provider .theme=${theme}><p>Hi</p></member-provider>`);

    expect(token(el, '--mk-color-primary')).to.equal('#ff0000');
    expect(token(el, '--mk-color-danger')).to.equal('#990000');
    expect(token(el, '--mk-font-family')).to.equal('Georgia, serif');
    expect(token(el, '--mk-radius')).to.equal('4px');
    expect(token(el, '--mk-color-text')).to.equal(defaultTheme.color_text);
    // Slotted content inherits the tokens.
    expect(token(el.querySelector('p') as Element, '--mk-color-primary')).to.equal('#ff0000');
  });

  it('falls back to the defaults, not the previous value, when a key is removed', async () => {
    const el = await fixture<MemberProvider>(
      html`<member-provider .theme=${{ color_primary: '#00ff00' }}></member-provider>`,
    );
    expect(token(el, '--mk-color-primary')).to.equal('#00ff00');

    el.theme = {};
    await el.updateComplete;

    expect(token(el, '--mk-color-primary')).to.equal(defaultTheme.color_primary);
    expect(token(el, '--mk-radius')).to.equal(`${defaultTheme.radius}px`);
  });

  it('lets page CSS override a default the theme leaves out', async () => {
    const el = await fixture<MemberProvider>(
      html`<div>
        <style>
          member-provider.brand {
            --mk-color-background: #fafafa;
          }
        </style>
        <member-provider class="brand" .theme=${{ color_primary: '#123456' }}></member-provider>
      </div>`,
    ).then((div) => div.querySelector('member-provider') as MemberProvider);

    expect(token(el, '--mk-color-background')).to.equal('#fafafa');
    expect(token(el, '--mk-color-primary')).to.equal('#123456');
  });

  it('reflects locale to lang', async () => {
    const el = await fixture<MemberProvider>(html`<member-provider locale="de"></member-provider>`);
    expect(el.getAttribute('lang')).to.equal('de');

    el.locale = 'pt-BR';
    await el.updateComplete;

    expect(el.getAttribute('lang')).to.equal('pt-BR');
  });

  it('provides the complete theme to elements inside through context', async () => {
    const el = await fixture<MemberProvider>(
      html`<member-provider .theme=${{ color_primary: '#abcdef' }}><mk-test-theme-consumer></mk-test-theme-consumer></member-provider>`,
    );
    const consumer = el.querySelector('mk-test-theme-consumer') as ThemeConsumer;
    await consumer.updateComplete;
    expect(consumer.theme).to.deep.equal({ ...defaultTheme, color_primary: '#abcdef' });

    el.theme = { radius: 0 };
    await el.updateComplete;
    await consumer.updateComplete;

    expect(consumer.theme).to.deep.equal({ ...defaultTheme, radius: 0 });
    expect(consumer.shadowRoot?.textContent).to.equal(defaultTheme.color_primary);
  });

  it('passes an accessibility check', async () => {
    const el = await fixture<MemberProvider>(
      html`<member-provider locale="en" .theme=${{ color_primary: '#4338ca' }}><button type="button">Join</button></member-provider>`,
    );
    await expect(el).to.be.accessible();
  });
});
