import type { liveEn } from './live-en.js';
import { plural } from './plural.js';

/** German strings of the live updates (see live-en.ts). */
export const liveDe: typeof liveEn = {
  newMembers: (n: number) => plural('de', n, { one: '# neues Mitglied', other: '# neue Mitglieder' }),
  listChanged: 'Anderswo geänderte Mitglieder passen jetzt vielleicht zum Filter.',
  refresh: 'Aktualisieren',
  memberChanged: (name: string, status: string) => `${name} geändert: ${status}`,
  memberAdded: (name: string) => `${name} wurde hinzugefügt`,
  memberLeft: (name: string) => `${name} ist nicht mehr in dieser Liste`,
  changedElsewhere: 'Dieses Mitglied wurde anderswo geändert, während Sie es geöffnet hatten.',
  changedElsewhereDirty: 'Dieses Mitglied wurde anderswo geändert. Ihre ungespeicherten Änderungen sind noch da.',
  deletedElsewhere: 'Dieses Mitglied wurde anderswo gelöscht.',
  reload: 'Neu laden',
  keepMine: 'Meine Änderungen behalten',
  reloaded: 'Mit den neuesten Änderungen neu geladen.',
};
