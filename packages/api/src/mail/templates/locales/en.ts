import type { MailStrings } from '../strings.js';

/** English mail strings; also the fallback for locales without their own table. */
export const en: MailStrings = {
  common: {
    buttonFallback: 'If the button does not work, copy this link into your browser:',
    validUntil: ({ date }) => `The link works until ${date}.`,
    codeLabel: 'Or enter this code:',
    greeting: ({ name }) => `Hi ${name},`,
    footer: ({ tenant }) => `This email was sent by ${tenant}.`,
  },
  verify_email: {
    subject: ({ tenant }) => `Confirm your email address for ${tenant}`,
    preheader: ({ tenant }) => `One click to finish setting up your ${tenant} account.`,
    heading: 'Confirm your email address',
    intro: ({ tenant }) =>
      `Please confirm that this is your email address to finish setting up your ${tenant} account.`,
    button: 'Confirm email address',
    ignore: ({ tenant }) => `If you did not create an account with ${tenant}, you can ignore this email.`,
  },
  magic_link: {
    subject: ({ tenant }) => `Your sign-in link for ${tenant}`,
    preheader: ({ tenant }) => `Sign in to ${tenant} with one click.`,
    heading: ({ tenant }) => `Sign in to ${tenant}`,
    intro: 'Use the button below to sign in. The link works once.',
    button: 'Sign in',
    ignore: 'If you did not try to sign in, you can ignore this email. Nobody can sign in without this link.',
  },
  password_reset: {
    subject: ({ tenant }) => `Reset your ${tenant} password`,
    preheader: 'Choose a new password for your account.',
    heading: 'Reset your password',
    intro: ({ tenant }) => `We received a request to reset the password of your ${tenant} account.`,
    button: 'Choose a new password',
    ignore: 'If you did not ask for this, you can ignore this email. Your password stays unchanged.',
  },
  invite: {
    subject: ({ tenant }) => `You are invited to join ${tenant}`,
    preheader: ({ tenant }) => `Accept your invitation to ${tenant}.`,
    heading: ({ tenant }) => `Join ${tenant}`,
    intro: ({ tenant, tier }) =>
      tier
        ? `You have been invited to become a member of ${tenant} with the ${tier} membership.`
        : `You have been invited to become a member of ${tenant}.`,
    messageLabel: 'A personal message for you:',
    button: 'Accept invitation',
    validUntil: ({ date }) => `The invitation is valid until ${date}.`,
    ignore: 'If you were not expecting this invitation, you can ignore this email.',
  },
  staff_invite: {
    subject: ({ tenant }) => `You are invited to manage ${tenant}`,
    preheader: ({ tenant }) => `Set your password to join the ${tenant} staff.`,
    heading: ({ tenant }) => `Join the ${tenant} staff`,
    intro: ({ tenant, role }) =>
      `You have been invited to the staff of ${tenant} as ${role}. Choose a password to activate your account.`,
    roles: { owner: 'an owner', admin: 'an administrator', manager: 'a manager', viewer: 'a viewer' },
    button: 'Set password and sign in',
    validUntil: ({ date }) => `The invitation is valid until ${date}.`,
    ignore: 'If you were not expecting this invitation, you can ignore this email.',
  },
  new_device: {
    subject: ({ tenant }) => `New sign-in to your ${tenant} account`,
    preheader: ({ tenant }) => `Your ${tenant} account was signed in to from a new device.`,
    heading: 'New sign-in to your account',
    intro: ({ tenant }) => `Your ${tenant} account was just signed in to from a device we have not seen before.`,
    when: 'When',
    device: 'Device',
    ip: 'IP address',
    location: 'Location',
    ifYou: 'If this was you, there is nothing to do.',
    ifNotYou: 'If this was not you, change your password right away and sign out of all devices.',
    button: 'Review account security',
  },
};
