/**
 * Where each element lives, for the script-tag bundle: a dynamic `import()` per tag,
 * so esbuild splits every element into its own chunk and a page downloads only the
 * elements it uses. The provider is listed first: it is loaded before the others so
 * widgets find it when they connect.
 */
export const elementLoaders: Readonly<Record<string, () => Promise<unknown>>> = {
  'member-provider': () => import('../provider/member-provider.js'),
  'member-signup': () => import('../signup/member-signup.js'),
  'member-login': () => import('../login/member-login.js'),
  'member-profile': () => import('../profile/member-profile.js'),
  'member-gate': () => import('../gate/member-gate.js'),
  'member-button': () => import('../button/member-button.js'),
  'member-list': () => import('../list/member-list.js'),
  'member-email-action': () => import('../email-action/member-email-action.js'),
  'member-pricing': () => import('../pricing/member-pricing.js'),
  'member-billing': () => import('../billing/member-billing.js'),
  'member-notifications': () => import('../notifications/member-notifications.js'),
  'member-feed': () => import('../feed/member-feed.js'),
  'member-messages': () => import('../messages/member-messages.js'),
  'member-presence': () => import('../presence/member-presence.js'),
};
