import type { ListPromise } from '../core/pagination.js';
import { Resource, seg, toQuery } from '../core/resource.js';
import { ndjsonStream, parseCsv, parseNdjson } from '../core/streams.js';
import type { CallOptions } from '../core/transport.js';
import type { Booleanish, BodyOf, QueryOf, ResponseOf, Schema } from '../core/types.js';

/** A member of the tenant. */
export type Member = Schema<'Member'>;
/** One page of members. */
export type MemberList = Schema<'MemberList'>;
/** Body of {@link MembersResource.create}. */
export type CreateMemberParams = BodyOf<'createMember'>;
/** Body of {@link MembersResource.update}: only the fields sent change. */
export type UpdateMemberParams = BodyOf<'updateMember'>;
/** Filters, sort and page size of {@link MembersResource.list}. */
export type ListMembersParams = Booleanish<Omit<QueryOf<'listMembers'>, 'cursor'>>;
/** Body of {@link MembersResource.bulk}. */
export type BulkMembersParams = BodyOf<'bulkMembers'>;
/** Result of {@link MembersResource.bulk}. */
export type BulkResult = ResponseOf<'bulkMembers'>;
/** Result of {@link MembersResource.import}. */
export type ImportResult = ResponseOf<'importMembers'>;
/** One page of a member's activity timeline. */
export type MemberActivityList = Schema<'ActivityEventList'>;
/** Type filter and page size of {@link MembersResource.activity}. */
export type ListMemberActivityParams = Omit<QueryOf<'listMemberActivity'>, 'cursor'>;
/** Filters of {@link MembersResource.export}. */
export type ExportMembersParams = Omit<QueryOf<'exportMembers'>, 'format'>;

/** One member as an NDJSON export row. */
export interface ExportedMember {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: Member['status'];
  tier_id: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  last_active_at: string | null;
}

/** Options of {@link MembersResource.import}, besides the call options. */
export interface ImportMembersOptions extends CallOptions {
  /** `csv` or `ndjson`. Arrays and iterables are always sent as NDJSON; a string starting with `{` is taken as NDJSON; otherwise CSV. */
  format?: 'csv' | 'ndjson' | undefined;
  /** Validate every row and report, writing nothing. */
  dryRun?: boolean | undefined;
  /** What to do with rows whose email exists: `skip` (default) or `update`. */
  onDuplicate?: 'skip' | 'update' | undefined;
  /** CSV column → member field (`email`, `custom_fields.company`, or `""` to ignore the column). */
  mapping?: Record<string, string> | undefined;
}

/** What {@link MembersResource.import} reads: CSV or NDJSON text, a byte stream, or member objects. */
export type ImportSource =
  | string
  | ReadableStream<Uint8Array>
  | readonly Record<string, unknown>[]
  | Iterable<Record<string, unknown>>
  | AsyncIterable<Record<string, unknown>>;

/** `mk.members`: the tenant's members (secret key or staff token). */
export class MembersResource extends Resource {
  /**
   * Creates a member (`POST /v1/members`).
   *
   * @example
   * const member = await mk.members.create({ email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace' });
   */
  create(params: CreateMemberParams, options?: CallOptions): Promise<Member> {
    return this.call({ method: 'POST', path: '/v1/members', body: params }, options);
  }

  /** Retrieves a member by id (`GET /v1/members/{id}`). */
  retrieve(id: string, options?: CallOptions): Promise<Member> {
    return this.call({ method: 'GET', path: `/v1/members/${seg(id)}` }, options);
  }

  /** Updates a member (`PATCH /v1/members/{id}`); only the fields sent change. */
  update(id: string, params: UpdateMemberParams, options?: CallOptions): Promise<Member> {
    return this.call({ method: 'PATCH', path: `/v1/members/${seg(id)}`, body: params }, options);
  }

  /** Soft-deletes a member, restorable for 30 days (`DELETE /v1/members/{id}`). */
  del(id: string, options?: CallOptions): Promise<Member> {
    return this.call({ method: 'DELETE', path: `/v1/members/${seg(id)}` }, options);
  }

  /**
   * Lists members (`GET /v1/members`): await it for one page, or iterate it for every member.
   *
   * @example
   * for await (const member of mk.members.list({ status: 'active', sort: 'last_name' })) console.log(member.email);
   */
  list(params?: ListMembersParams, options?: CallOptions): ListPromise<MemberList> {
    return this.paginate({ path: '/v1/members', query: toQuery(params) }, options);
  }

  /**
   * A member's activity timeline, newest first (`GET /v1/members/{id}/activity`): await
   * it for one page, or iterate it for every event. `type` takes a type or a namespace
   * (`event.*`).
   *
   * @example
   * for await (const event of mk.members.activity('mem_…', { type: 'event.*' })) console.log(event.occurred_at, event.label);
   */
  activity(id: string, params?: ListMemberActivityParams, options?: CallOptions): ListPromise<MemberActivityList> {
    return this.paginate({ path: `/v1/members/${seg(id)}/activity`, query: toQuery(params) }, options);
  }

  /** Restores a soft-deleted member (`POST /v1/members/{id}/restore`). */
  restore(id: string, options?: CallOptions): Promise<Member> {
    return this.call({ method: 'POST', path: `/v1/members/${seg(id)}/restore` }, options);
  }

  /** Erases a member's personal data for good (GDPR; `POST /v1/members/{id}/erase`). */
  erase(id: string, options?: CallOptions): Promise<void> {
    return this.call({ method: 'POST', path: `/v1/members/${seg(id)}/erase` }, options);
  }

  /**
   * Changes status, tier or tags of, or deletes, up to 10,000 members by id or filter (`POST /v1/members/bulk`).
   *
   * @example
   * await mk.members.bulk({ action: 'add_tags', member_ids: ['mem_1', 'mem_2'], params: { tags: ['volunteer'] } });
   */
  bulk(params: BulkMembersParams, options?: CallOptions): Promise<BulkResult> {
    return this.call({ method: 'POST', path: '/v1/members/bulk', body: params }, options);
  }

  /**
   * Imports members (`POST /v1/members/import`) from CSV or NDJSON text, a byte stream,
   * or objects (sent as NDJSON, streamed when an iterable). All or nothing: when a row
   * fails, nothing is written and `errors` lists each row.
   *
   * @example
   * const result = await mk.members.import([{ email: 'ada@example.org', first_name: 'Ada', last_name: 'Lovelace' }], { dryRun: true });
   */
  import(source: ImportSource, options: ImportMembersOptions = {}): Promise<ImportResult> {
    const { format, dryRun, onDuplicate, mapping, ...callOptions } = options;
    let body: string | ReadableStream<Uint8Array>;
    let kind: 'csv' | 'ndjson';
    if (typeof source === 'string') {
      body = source;
      kind = format ?? (source.trimStart().startsWith('{') ? 'ndjson' : 'csv');
    } else if (source instanceof ReadableStream) {
      body = source;
      kind = format ?? 'csv';
    } else if (Array.isArray(source)) {
      // In memory already: a string body can be retried, a stream cannot.
      body = source.map((row) => JSON.stringify(row)).join('\n');
      kind = 'ndjson';
    } else {
      body = ndjsonStream(source as Iterable<unknown> | AsyncIterable<unknown>);
      kind = 'ndjson';
    }
    return this.call(
      {
        method: 'POST',
        path: '/v1/members/import',
        query: {
          format: kind,
          dry_run: dryRun === undefined ? undefined : String(dryRun),
          on_duplicate: onDuplicate,
          mapping: mapping === undefined ? undefined : JSON.stringify(mapping),
        },
        rawBody: body,
        contentType: kind === 'csv' ? 'text/csv' : 'application/x-ndjson',
        // The API fingerprints idempotent POSTs by reading the whole body, which a streamed import must not need.
        idempotent: false,
      },
      callOptions,
    );
  }

  /**
   * Exports every member matching the filters, oldest first, as an async iterator of
   * rows (`GET /v1/members/export`), read as the API streams them. NDJSON by default
   * (typed rows); `format: 'csv'` gives the CSV columns as strings.
   *
   * @example
   * for await (const row of mk.members.export({ tag: 'volunteer' })) console.log(row.email);
   */
  export(
    params?: ExportMembersParams & { format?: 'ndjson' },
    options?: CallOptions,
  ): AsyncGenerator<ExportedMember, void, undefined>;
  export(
    params: ExportMembersParams & { format: 'csv' },
    options?: CallOptions,
  ): AsyncGenerator<Record<string, string>, void, undefined>;
  async *export(
    params: ExportMembersParams & { format?: 'csv' | 'ndjson' } = {},
    options?: CallOptions,
  ): AsyncGenerator<ExportedMember | Record<string, string>, void, undefined> {
    const format = params.format ?? 'ndjson';
    const stream = await this.exportStream({ ...params, format }, options);
    yield* format === 'csv' ? parseCsv(stream) : parseNdjson<ExportedMember>(stream);
  }

  /** The raw export bytes (CSV by default), e.g. to save to a file. */
  async exportStream(
    params: QueryOf<'exportMembers'> = {},
    options?: CallOptions,
  ): Promise<ReadableStream<Uint8Array>> {
    const format = params.format ?? 'csv';
    const response = await this.transport.send(
      {
        method: 'GET',
        path: '/v1/members/export',
        query: toQuery({ ...params, format }),
        accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
      },
      options,
    );
    if (!response.body) throw new TypeError('The export response has no body.');
    return response.body;
  }
}
