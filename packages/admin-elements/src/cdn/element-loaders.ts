/**
 * Where each admin element lives, for the script-tag bundle: a dynamic `import()`
 * per tag, so esbuild splits every element into its own chunk and a page downloads
 * only the elements it uses. The provider comes first: it is loaded before the
 * others so they find it when they connect.
 */
export const elementLoaders: Readonly<Record<string, () => Promise<unknown>>> = {
  'member-admin-provider': () => import('../provider/member-admin-provider.js'),
  'member-admin-table': () => import('../table/member-admin-table.js'),
  'member-admin-editor': () => import('../editor/member-admin-editor.js'),
  'member-admin-invite': () => import('../invite/member-admin-invite.js'),
  'member-admin-import': () => import('../import/member-admin-import.js'),
  'member-admin-audit-log': () => import('../audit-log/member-admin-audit-log.js'),
  'member-admin-accept-invite': () => import('../accept-invite/member-admin-accept-invite.js'),
  'member-admin-billing': () => import('../billing/member-admin-billing.js'),
  'member-admin-subscriptions': () => import('../subscriptions/member-admin-subscriptions.js'),
  'member-admin-inbox': () => import('../inbox/member-admin-inbox.js'),
  'member-admin-announcements': () => import('../announcements/member-admin-announcements.js'),
};
