import { createRouter } from '../../lib/create-router.js';

/** Routes of the fields resource. */
export const fieldsRouter = createRouter();
