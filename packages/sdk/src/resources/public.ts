import type { ListPromise } from '../core/pagination.js';
import { Resource, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { QueryOf, Schema } from '../core/types.js';

/** What widgets need to render a tenant's member site: branding, locales, sign-in methods, fields, tiers, strings. */
export type PublicConfig = Schema<'PublicConfig'>;
/** A member as the directory shows them. */
export type DirectoryMember = Schema<'DirectoryMember'>;
/** One page of the member directory. */
export type DirectoryMemberList = Schema<'DirectoryMemberList'>;
/** Query of {@link DirectoryResource.list}. */
export type ListDirectoryParams = Omit<QueryOf<'listDirectory'>, 'cursor'>;

/** `mk.publicConfig`: the tenant's public site configuration (publishable key). */
export class PublicConfigResource extends Resource {
  #cached: { etag: string; config: PublicConfig } | undefined;

  /**
   * Retrieves the public configuration (`GET /v1/public/config`). Asks with the last
   * `ETag`, so an unchanged configuration costs a 304 and no body.
   *
   * @example
   * const config = await mk.publicConfig.retrieve();
   * document.title = config.name;
   */
  async retrieve(options?: CallOptions): Promise<PublicConfig> {
    const cached = this.#cached;
    const headers = cached ? { 'If-None-Match': cached.etag, ...options?.headers } : options?.headers;
    const response = await this.transport.send(
      { method: 'GET', path: '/v1/public/config', auth: 'publishable' },
      { ...options, headers },
    );
    if (response.status === 304 && cached) return cached.config;
    const config = (await response.json()) as PublicConfig;
    const etag = response.headers.get('etag');
    this.#cached = etag ? { etag, config } : undefined;
    return config;
  }
}

/** `mk.directory`: the tenant's member directory, when enabled. */
export class DirectoryResource extends Resource {
  /**
   * Lists active members by last name (`GET /v1/directory`). Signed in, members also see
   * fields marked for members; with only the publishable key, public fields.
   *
   * @example
   * for await (const person of mk.directory.list({ search: 'love' })) console.log(person.first_name);
   */
  list(params?: ListDirectoryParams, options?: CallOptions): ListPromise<DirectoryMemberList> {
    return this.paginate({ path: '/v1/directory', query: toQuery(params), auth: 'member' }, options);
  }
}
