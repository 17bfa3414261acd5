import { createRouter } from '../../lib/create-router.js';
import {
  bulkMembersHandler,
  createMemberHandler,
  eraseMemberHandler,
  exportMembersHandler,
  importMembersHandler,
  deleteMemberHandler,
  getMemberHandler,
  listMembersHandler,
  restoreMemberHandler,
  updateMemberHandler,
} from './members.handlers.js';
import {
  bulkMembersRoute,
  createMemberRoute,
  eraseMemberRoute,
  exportMembersRoute,
  importMembersRoute,
  deleteMemberRoute,
  getMemberRoute,
  listMembersRoute,
  restoreMemberRoute,
  updateMemberRoute,
} from './members.routes.js';

/** `/v1/members`: the tenant's members. Static paths (`bulk`, `import`, `export`) are registered before `{id}`. */
export const membersRouter = createRouter()
  .openapi(bulkMembersRoute, bulkMembersHandler)
  .openapi(importMembersRoute, importMembersHandler)
  .openapi(exportMembersRoute, exportMembersHandler)
  .openapi(createMemberRoute, createMemberHandler)
  .openapi(listMembersRoute, listMembersHandler)
  .openapi(getMemberRoute, getMemberHandler)
  .openapi(updateMemberRoute, updateMemberHandler)
  .openapi(deleteMemberRoute, deleteMemberHandler)
  .openapi(restoreMemberRoute, restoreMemberHandler)
  .openapi(eraseMemberRoute, eraseMemberHandler);
