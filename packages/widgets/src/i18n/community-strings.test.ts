import { expect } from '@open-wc/testing';
import { communityDe } from './community-de.js';
import { communityEn } from './community-en.js';
import { communityStrings } from './community-strings.js';
import { createStrings } from './strings.js';

describe('community strings', () => {
  it('has every community string in German, with the same placeholders', () => {
    expect(Object.keys(communityDe).sort()).to.deep.equal(Object.keys(communityEn).sort());
    // Words German shares with English.
    const shared = [
      'feed.title',
      'feed.reactionCount',
      'messages.support',
      'presence.status.online',
      'presence.status.offline',
    ];
    const keys = Object.keys(communityEn) as (keyof typeof communityEn)[];
    expect(keys.filter((key) => !shared.includes(key) && communityDe[key] === communityEn[key])).to.deep.equal([]);
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join();
    for (const key of keys) expect(placeholders(communityDe[key]), key).to.equal(placeholders(communityEn[key]));
  });

  it('lays the community words and their tenant overrides over the strings, with plurals and relative times', () => {
    const de = communityStrings(createStrings('de'), { de: { 'feed.title': 'Vereinsleben' } });
    expect(de.t('feed.title')).to.equal('Vereinsleben');
    expect(de.t('common.cancel')).to.equal('Abbrechen');
    expect(de.plural('messages.unread', 3)).to.equal('3 ungelesen');
    expect(de.plural('presence.count', 1)).to.equal('1 Mitglied online');
    const en = communityStrings(createStrings('en'));
    expect(en.plural('feed.comments', 2)).to.equal('2 comments');
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(en.ago('2026-12-07T11:59:50Z', now)).to.equal('just now');
    expect(en.ago('2026-12-07T11:55:00Z', now)).to.equal('5 min. ago');
    expect(communityStrings(createStrings('fr')).t('messages.send')).to.equal('Send');
  });
});
