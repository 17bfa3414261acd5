import type { MailStrings } from '../strings.js';

/**
 * German mail strings. Formal address ("Sie"): tenants range from sports clubs
 * to consultancies, and "Sie" is never wrong in a transactional mail, while
 * "du" can be.
 */
export const de: MailStrings = {
  common: {
    buttonFallback: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    validUntil: ({ date }) => `Der Link ist gültig bis ${date}.`,
    codeLabel: 'Oder geben Sie diesen Code ein:',
    greeting: ({ name }) => `Hallo ${name},`,
    footer: ({ tenant }) => `Diese E-Mail wurde von ${tenant} gesendet.`,
  },
  verify_email: {
    subject: ({ tenant }) => `Bestätigen Sie Ihre E-Mail-Adresse für ${tenant}`,
    preheader: ({ tenant }) => `Ein Klick, und Ihr Konto bei ${tenant} ist eingerichtet.`,
    heading: 'Bestätigen Sie Ihre E-Mail-Adresse',
    intro: ({ tenant }) =>
      `Bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse ist, um Ihr Konto bei ${tenant} fertig einzurichten.`,
    button: 'E-Mail-Adresse bestätigen',
    ignore: ({ tenant }) => `Falls Sie kein Konto bei ${tenant} angelegt haben, können Sie diese E-Mail ignorieren.`,
  },
  magic_link: {
    subject: ({ tenant }) => `Ihr Anmeldelink für ${tenant}`,
    preheader: ({ tenant }) => `Mit einem Klick bei ${tenant} anmelden.`,
    heading: ({ tenant }) => `Bei ${tenant} anmelden`,
    intro: 'Melden Sie sich über die Schaltfläche unten an. Der Link funktioniert einmal.',
    button: 'Anmelden',
    ignore:
      'Falls Sie sich nicht anmelden wollten, können Sie diese E-Mail ignorieren. Ohne diesen Link kann sich niemand anmelden.',
  },
  password_reset: {
    subject: ({ tenant }) => `Passwort für ${tenant} zurücksetzen`,
    preheader: 'Wählen Sie ein neues Passwort für Ihr Konto.',
    heading: 'Passwort zurücksetzen',
    intro: ({ tenant }) => `Wir haben eine Anfrage erhalten, das Passwort Ihres Kontos bei ${tenant} zurückzusetzen.`,
    button: 'Neues Passwort wählen',
    ignore:
      'Falls Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren. Ihr Passwort bleibt unverändert.',
  },
  invite: {
    subject: ({ tenant }) => `Einladung zur Mitgliedschaft bei ${tenant}`,
    preheader: ({ tenant }) => `Nehmen Sie Ihre Einladung zu ${tenant} an.`,
    heading: ({ tenant }) => `Werden Sie Mitglied bei ${tenant}`,
    intro: ({ tenant, tier }) =>
      tier
        ? `Sie wurden eingeladen, Mitglied bei ${tenant} zu werden, mit der Mitgliedschaft „${tier}“.`
        : `Sie wurden eingeladen, Mitglied bei ${tenant} zu werden.`,
    messageLabel: 'Eine persönliche Nachricht an Sie:',
    button: 'Einladung annehmen',
    validUntil: ({ date }) => `Die Einladung ist gültig bis ${date}.`,
    ignore: 'Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.',
  },
  staff_invite: {
    subject: ({ tenant }) => `Einladung ins Team von ${tenant}`,
    preheader: ({ tenant }) => `Legen Sie Ihr Passwort fest, um dem Team von ${tenant} beizutreten.`,
    heading: ({ tenant }) => `Willkommen im Team von ${tenant}`,
    intro: ({ tenant, role }) =>
      `Sie wurden als ${role} ins Team von ${tenant} eingeladen. Legen Sie ein Passwort fest, um Ihr Konto zu aktivieren.`,
    roles: { owner: 'Inhaber/in', admin: 'Administrator/in', manager: 'Manager/in', viewer: 'Betrachter/in' },
    button: 'Passwort festlegen und anmelden',
    validUntil: ({ date }) => `Die Einladung ist gültig bis ${date}.`,
    ignore: 'Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.',
  },
  new_device: {
    subject: ({ tenant }) => `Neue Anmeldung bei Ihrem Konto bei ${tenant}`,
    preheader: ({ tenant }) => `Bei Ihrem Konto bei ${tenant} hat sich ein neues Gerät angemeldet.`,
    heading: 'Neue Anmeldung bei Ihrem Konto',
    intro: ({ tenant }) =>
      `Bei Ihrem Konto bei ${tenant} hat sich soeben ein Gerät angemeldet, das wir noch nicht kannten.`,
    when: 'Zeitpunkt',
    device: 'Gerät',
    ip: 'IP-Adresse',
    location: 'Ort',
    ifYou: 'Wenn Sie das waren, ist nichts weiter zu tun.',
    ifNotYou: 'Wenn Sie das nicht waren, ändern Sie sofort Ihr Passwort und melden Sie alle Geräte ab.',
    button: 'Kontosicherheit prüfen',
  },
};
