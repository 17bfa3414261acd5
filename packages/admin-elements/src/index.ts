/** @memberkit/admin-elements: Memberkit admin web components. Importing it registers the elements. */
export { MemberAdminProvider } from './provider/member-admin-provider.js';
export { adminRoles, isAdminRole, type AdminRole } from './provider/admin-role.js';
