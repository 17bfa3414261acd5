import { defineConfig } from 'tsup';

/** One entry per element, so bundlers load only the elements a page imports. */
export const elementEntries = {
  provider: 'src/provider/member-provider.ts',
  signup: 'src/signup/member-signup.ts',
  login: 'src/login/member-login.ts',
  profile: 'src/profile/member-profile.ts',
  gate: 'src/gate/member-gate.ts',
  button: 'src/button/member-button.ts',
  list: 'src/list/member-list.ts',
  'email-action': 'src/email-action/member-email-action.ts',
  pricing: 'src/pricing/member-pricing.ts',
  billing: 'src/billing/member-billing.ts',
  notifications: 'src/notifications/member-notifications.ts',
  feed: 'src/feed/member-feed.ts',
  messages: 'src/messages/member-messages.ts',
  presence: 'src/presence/member-presence.ts',
};

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    ...elementEntries,
  },
  format: ['esm'],
  dts: true,
  clean: false,
  splitting: true,
  treeshake: true,
  // One copy of Lit on the page: the app's. The SDK and the shared element base are dependencies and stay external too.
  external: ['lit', /^lit\//, '@lit/context', '@memberkit/sdk', '@memberkit/elements-core'],
});
