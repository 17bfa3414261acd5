import { filterBy, filterCreated, listObject } from '../lists.js';
import { bool, mergeMetadata, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { previousAttributes } from './events.js';
import { invalidRequest, missingParam, type Obj, type Params } from '../types.js';

/** Creates a product in `account` (also used by `price.product_data`). */
export function createProduct(state: DoubleState, account: string, params: Params): Obj {
  const name = str(params.name, 'name');
  if (!name) throw missingParam('name');
  const id = str(params.id, 'id') || newId('prod', 14);
  if (state.store.find(account, id)) throw invalidRequest(`Product already exists.`, 'id', 'resource_already_exists');
  const now = state.now();
  const product = state.store.insert(account, {
    id,
    object: 'product',
    active: bool(params.active, 'active') ?? true,
    created: now,
    default_price: null,
    description: str(params.description, 'description') || null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: mergeMetadata({}, params.metadata),
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    type: 'service',
    unit_label: str(params.unit_label, 'unit_label') || null,
    updated: now,
    url: null,
  });
  state.emit(account, 'product.created', product);
  return product;
}

/** Products: create, retrieve, update, list (`active`), delete. */
export function registerProducts(router: Router): void {
  router.post('/v1/products', (ctx) => createProduct(ctx.state, ctx.account, ctx.params));
  router.get('/v1/products/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'product'));
  router.post('/v1/products/:id', (ctx) => {
    const product = ctx.state.store.get(ctx.account, ctx.path.id, 'product');
    const before = structuredClone(product);
    const p = ctx.params;
    if (p.name !== undefined) product.name = str(p.name, 'name');
    if (p.description !== undefined) product.description = str(p.description, 'description') || null;
    if (p.active !== undefined) product.active = bool(p.active, 'active');
    if (p.default_price !== undefined) product.default_price = str(p.default_price, 'default_price') || null;
    if (p.unit_label !== undefined) product.unit_label = str(p.unit_label, 'unit_label') || null;
    product.metadata = mergeMetadata(product.metadata, p.metadata);
    product.updated = ctx.state.now();
    ctx.state.emit(ctx.account, 'product.updated', product, previousAttributes(before, product));
    return product;
  });
  router.get('/v1/products', (ctx) => {
    let items = filterBy(ctx.state.store.all(ctx.account, 'product'), ctx.params, { active: (p) => p.active });
    if (Array.isArray(ctx.params.ids)) items = items.filter((p) => (ctx.params.ids as string[]).includes(p.id));
    return listObject(ctx, '/v1/products', filterCreated(items, ctx.params.created));
  });
  router.delete('/v1/products/:id', (ctx) => {
    const product = ctx.state.store.get(ctx.account, ctx.path.id, 'product');
    if (ctx.state.store.all(ctx.account, 'price').some((price) => price.product === product.id))
      throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.');
    ctx.state.store.delete(product.id);
    return { id: product.id, object: 'product', deleted: true };
  });
}
