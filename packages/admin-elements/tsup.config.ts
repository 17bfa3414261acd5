import { defineConfig } from 'tsup';

/** One entry per element, so bundlers load only the elements a page imports. */
export const elementEntries = {
  provider: 'src/provider/member-admin-provider.ts',
  table: 'src/table/member-admin-table.ts',
  editor: 'src/editor/member-admin-editor.ts',
  invite: 'src/invite/member-admin-invite.ts',
  import: 'src/import/member-admin-import.ts',
  'audit-log': 'src/audit-log/member-admin-audit-log.ts',
  'accept-invite': 'src/accept-invite/member-admin-accept-invite.ts',
  billing: 'src/billing/member-admin-billing.ts',
  subscriptions: 'src/subscriptions/member-admin-subscriptions.ts',
  inbox: 'src/inbox/member-admin-inbox.ts',
  announcements: 'src/announcements/member-admin-announcements.ts',
};

export default defineConfig({
  entry: { index: 'src/index.ts', ...elementEntries },
  format: ['esm'],
  dts: true,
  clean: false,
  splitting: true,
  treeshake: true,
  // Lit, the shared base and the SDK come from the app's copies, so there is one of each on the page.
  external: ['lit', /^lit\//, '@lit/context', '@memberkit/sdk', '@memberkit/elements-core'],
});
