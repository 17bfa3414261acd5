import { expect } from '@open-wc/testing';
import { billingDe } from './billing-de.js';
import { billingEn } from './billing-en.js';
import { billingStrings } from './billing-strings.js';
import { de } from './de.js';
import { en } from './en.js';
import { resolveLocale, pickLocalized } from './locale.js';
import { createStrings } from './strings.js';

describe('i18n', () => {
  it('has every English key in German, none left in English or empty', () => {
    expect(Object.keys(de).sort()).to.deep.equal(Object.keys(en).sort());
    const same = Object.keys(en).filter(
      (key) =>
        // Words German shares with English.
        !['common.optional'].includes(key) && de[key as keyof typeof en] === en[key as keyof typeof en],
    );
    expect(same).to.deep.equal([]);
    expect(Object.values(de).filter((text) => !text.trim())).to.deep.equal([]);
  });

  it('has every billing string in German too, with the same placeholders', () => {
    expect(Object.keys(billingDe).sort()).to.deep.equal(Object.keys(billingEn).sort());
    // Words German shares with English.
    const shared = ['billing.status', 'billing.invoiceStatus', 'billing.invoicePdf'];
    const keys = Object.keys(billingEn) as (keyof typeof billingEn)[];
    expect(keys.filter((key) => !shared.includes(key) && billingDe[key] === billingEn[key])).to.deep.equal([]);
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join();
    for (const key of keys) expect(placeholders(billingDe[key]), key).to.equal(placeholders(billingEn[key]));
  });

  it('lays the billing words and their tenant overrides over the strings, keeping the others', () => {
    const de = billingStrings(createStrings('de-AT'), {
      de: { 'billing.title': 'Beitrag' },
      'de-AT': { 'pricing.title': 'Tarife' },
    });
    expect(de.t('billing.title')).to.equal('Beitrag');
    expect(de.t('pricing.title')).to.equal('Tarife');
    expect(de.t('common.cancel')).to.equal('Abbrechen');
    expect(de.plural('pricing.trial', 14)).to.equal('14 Tage kostenlos testen');
    expect(de.plural('list.count', 2)).to.equal('2 Mitglieder angezeigt');
    expect(billingStrings(createStrings('fr')).t('billing.title')).to.equal(billingEn['billing.title']);
  });

  it('formats prices per currency, zero-decimal ones without cents', () => {
    expect(createStrings('en').money(1500, 'eur')).to.equal('€15.00');
    expect(createStrings('de').money(1500, 'eur')).to.match(/^15,00\s€$/);
    expect(createStrings('ja').money(1500, 'jpy')).to.match(/1,500$/);
    expect(createStrings('en').money(1500, 'jpy')).to.equal('¥1,500');
  });

  it('keeps the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join();
    for (const key of Object.keys(en) as (keyof typeof en)[])
      expect(placeholders(de[key]), key).to.equal(placeholders(en[key]));
  });

  it('chooses plural forms by the language plural rules, with the count formatted', () => {
    expect(createStrings('en').plural('list.count', 1)).to.equal('1 member shown');
    expect(createStrings('en').plural('list.count', 0)).to.equal('0 members shown');
    expect(createStrings('en').plural('list.count', 1200)).to.equal('1,200 members shown');
    expect(createStrings('de').plural('list.count', 1)).to.equal('1 Mitglied angezeigt');
    expect(createStrings('de').plural('list.count', 2000)).to.equal('2.000 Mitglieder angezeigt');
    // A tenant override of one form; a language with more categories (Polish `few`) falls back to `other`.
    expect(createStrings('en', { en: { 'list.count.one': 'One person' } }).plural('list.count', 1)).to.equal(
      'One person',
    );
    expect(createStrings('pl').plural('list.count', 3)).to.equal('3 members shown');
  });

  it('picks the locale: attribute, then a browser language the tenant supports, then the tenant default', () => {
    expect(resolveLocale({ requested: 'de', tenantDefault: 'en', browser: ['en-US'] })).to.equal('de');
    expect(resolveLocale({ tenantDefault: 'en', tenantSupported: ['en', 'de'], browser: ['de-AT', 'en'] })).to.equal(
      'de-AT',
    );
    expect(resolveLocale({ tenantDefault: 'de', tenantSupported: ['de'], browser: ['fr-FR'] })).to.equal('de');
    expect(resolveLocale({ browser: ['fr-FR'] })).to.equal('fr-FR');
    expect(resolveLocale({})).to.equal('en');
  });

  it('uses the base language table for regional tags and English for unknown languages', () => {
    expect(createStrings('de-AT').t('login.submit')).to.equal('Anmelden');
    expect(createStrings('fr').t('login.submit')).to.equal('Sign in');
  });

  it('lays tenant overrides over the table, base language first, then the exact tag; ignores unknown keys', () => {
    const s = createStrings('de-CH', {
      de: { 'login.submit': 'Einloggen', 'no.such.key': 'x' },
      'de-CH': { 'login.title': 'Grüezi' },
    });
    expect(s.t('login.submit')).to.equal('Einloggen');
    expect(s.t('login.title')).to.equal('Grüezi');
    // An unknown key (a typo in page code) shows itself rather than throwing.
    expect(s.t('no.such.key' as keyof typeof en)).to.equal('no.such.key');
  });

  it('fills placeholders and formats dates, numbers and money with Intl', () => {
    const de = createStrings('de');
    expect(de.t('login.signedIn', { email: 'a@b.org' })).to.equal('Angemeldet als a@b.org.');
    expect(de.number(1234.5)).to.equal('1.234,5');
    expect(de.money(1500, 'eur')).to.equal('15,00\u00a0€');
    expect(de.date('2026-11-27 09:30:00+00:00')).to.equal('27.11.2026');
    expect(createStrings('en').money(1500, 'usd')).to.equal('$15.00');
  });

  it('picks custom field labels by locale, base language, fallback, English', () => {
    expect(pickLocalized({ en: 'Size', de: 'Größe' }, 'de-AT')).to.equal('Größe');
    expect(pickLocalized({ en: 'Size', fr: 'Taille' }, 'de', 'fr')).to.equal('Taille');
    expect(pickLocalized({ en: 'Size' }, 'de')).to.equal('Size');
  });
});
