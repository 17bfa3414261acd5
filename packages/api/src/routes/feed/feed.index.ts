import { createRouter } from '../../lib/create-router.js';
import {
  addReactionHandler,
  createCommentHandler,
  createPostHandler,
  createReportHandler,
  deleteCommentHandler,
  deletePostHandler,
  getPostHandler,
  listCommentsHandler,
  listFeedHandler,
  listReportsHandler,
  removeReactionHandler,
  resolveReportHandler,
  updateCommentHandler,
  updatePostHandler,
} from './feed.handlers.js';
import {
  addReactionRoute,
  createCommentRoute,
  createPostRoute,
  createReportRoute,
  deleteCommentRoute,
  deletePostRoute,
  getPostRoute,
  listCommentsRoute,
  listFeedRoute,
  listReportsRoute,
  removeReactionRoute,
  resolveReportRoute,
  updateCommentRoute,
  updatePostRoute,
} from './feed.routes.js';

/** The tenant feed: announcements, milestones, member posts, comments, reactions, moderation and reports. */
export const feedRouter = createRouter()
  .openapi(listFeedRoute, listFeedHandler)
  .openapi(createPostRoute, createPostHandler)
  .openapi(getPostRoute, getPostHandler)
  .openapi(updatePostRoute, updatePostHandler)
  .openapi(deletePostRoute, deletePostHandler)
  .openapi(listCommentsRoute, listCommentsHandler)
  .openapi(createCommentRoute, createCommentHandler)
  .openapi(updateCommentRoute, updateCommentHandler)
  .openapi(deleteCommentRoute, deleteCommentHandler)
  .openapi(addReactionRoute, addReactionHandler)
  .openapi(removeReactionRoute, removeReactionHandler)
  .openapi(createReportRoute, createReportHandler)
  .openapi(listReportsRoute, listReportsHandler)
  .openapi(resolveReportRoute, resolveReportHandler);
