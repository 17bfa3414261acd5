import { expect } from '@open-wc/testing';
import { stringsFor } from './index.js';

describe('admin strings: counts by the language plural rules', () => {
  it('says "1 member" and "2 members", never "1 members", in English', () => {
    const en = stringsFor('en');
    expect(en.totalCount(1)).to.equal('1 member');
    expect(en.totalCount(0)).to.equal('0 members');
    expect(en.totalCount(200_000)).to.equal('200,000 members');
    expect(en.selectAllMatching(1)).to.equal('Select the 1 matching member');
    expect(en.allMatchingSelected(3)).to.equal('All 3 matching members are selected.');
    expect(en.invitesSent(1)).to.equal('1 invitation sent.');
    expect(en.previewRows(1)).to.equal('Preview of the first row');
    expect(en.dryRunResult(1, 0)).to.equal('1 row checked, 0 with errors.');
    expect(en.chainValid(1)).to.equal('Chain verified: the 1 entry is intact.');
    expect(en.moreTags(['a'])).to.equal('1 more tag: a');
  });

  it('says "1 Mitglied" and "2.000 Mitglieder", with singular verbs, in German', () => {
    const de = stringsFor('de-AT');
    expect(de.totalCount(1)).to.equal('1 Mitglied');
    expect(de.totalCount(2000)).to.equal('2.000 Mitglieder');
    expect(de.confirmBulk('Löschen', 1)).to.equal('Löschen: Dies betrifft 1 Mitglied. Fortfahren?');
    expect(de.invitesFailed(1)).to.equal('1 konnte nicht gesendet werden:');
    expect(de.invitesFailed(2)).to.equal('2 konnten nicht gesendet werden:');
    expect(de.exportReady(1)).to.equal('1 Mitglied exportiert.');
    expect(de.chainValid(1)).to.equal('Kette geprüft: der 1 Eintrag ist unverändert.');
  });
});
