import { defineElement } from '@memberkit/elements-core';
import { css, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { MemberAdminElement, errorMessage } from '../internal/admin-element.js';
import {
  exportCsv,
  loadFields,
  localized,
  type CustomField,
  type ImportResult,
  type MemberFilter,
} from '../internal/admin-api.js';
import { sharedStyles } from '../internal/styles.js';
import { guessTarget, previewCsv } from './csv-preview.js';

/** Detail of `member-admin-import`: what a finished (not dry-run) import did. */
export interface MemberAdminImportDetail {
  result: ImportResult;
}
/** Detail of `member-admin-export`: the exported CSV. */
export interface MemberAdminExportDetail {
  csv: string;
  rows: number;
}

declare global {
  interface MemberkitEventMap {
    'member-admin-import': MemberAdminImportDetail;
    'member-admin-export': MemberAdminExportDetail;
  }
  interface HTMLElementEventMap {
    'member-admin-import': CustomEvent<MemberAdminImportDetail>;
    'member-admin-export': CustomEvent<MemberAdminExportDetail>;
  }
}

const PREVIEW_ROWS = 5;
const baseTargets = ['email', 'first_name', 'last_name', 'status', 'tier_id', 'tags'] as const;

/**
 * Imports members from a CSV file: map the columns to member fields, check the
 * file with a dry run (row errors listed by line), then import. Also exports the
 * members matching the current filter of the `<member-admin-table>` in the same
 * provider (or {@link MemberAdminImport.filter}) as CSV.
 *
 * The import is one streamed request, all or nothing: progress is shown as busy
 * until the API answers with its totals.
 *
 * @fires member-admin-import - After a real import; `detail.result` is the API's report.
 * @fires member-admin-export - After an export; `detail.csv` is the file's text.
 */
export class MemberAdminImport extends MemberAdminElement {
  static override styles = [
    sharedStyles,
    css`
      section {
        display: grid;
        gap: 12px;
        margin-bottom: 24px;
      }
      h2 {
        margin: 0;
        font-size: 1.15em;
      }
      table {
        border-collapse: collapse;
        font-size: 13px;
      }
      th,
      td {
        border: 1px solid var(--_line);
        padding: 4px 8px;
        text-align: left;
      }
      .row {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
        align-items: end;
      }
      progress {
        width: 200px;
      }
    `,
  ];

  /** Filters of the export; by default those of the `<member-admin-table>` in the same provider. */
  @property({ attribute: false }) filter: MemberFilter | undefined;
  @state() private csv = '';
  @state() private preview: string[][] = [];
  @state() private mapping: string[] = [];
  @state() private onDuplicate: 'skip' | 'update' = 'skip';
  @state() private fields: CustomField[] = [];
  @state() private running: 'dry' | 'import' | 'export' | undefined;
  @state() private result: ImportResult | undefined;
  @state() private error = '';
  @state() private exportNote = '';

  #fieldsFor: unknown;

  protected override willUpdate(): void {
    const client = this.admin?.client;
    if (client && this.#fieldsFor !== client) {
      this.#fieldsFor = client;
      void loadFields(client).then(
        (f) => (this.fields = f),
        () => undefined,
      );
    }
  }

  private get targets(): string[] {
    return [...baseTargets, ...this.fields.map((f) => `custom_fields.${f.key}`)];
  }

  private targetLabel(target: string): string {
    const s = this.strings;
    const labels: Record<string, string> = {
      email: s.email,
      first_name: s.firstName,
      last_name: s.lastName,
      status: s.filterStatus,
      tier_id: s.tier,
      tags: s.tags,
    };
    const field = this.fields.find((f) => `custom_fields.${f.key}` === target);
    return field ? localized(field.label, this.admin?.locale ?? 'en', field.key) : (labels[target] ?? target);
  }

  /** Loads CSV text (as a chosen file would), e.g. from a drop zone of the page. */
  setCsv(text: string): void {
    this.csv = text;
    this.preview = previewCsv(text, PREVIEW_ROWS + 1);
    this.mapping = (this.preview[0] ?? []).map((h) => guessTarget(h, this.targets));
    this.result = undefined;
    this.error = '';
  }

  private async onFile(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) this.setCsv(await file.text());
  }

  private async run(dryRun: boolean): Promise<void> {
    const client = this.admin?.client;
    if (!client || !this.csv) return;
    const headers = this.preview[0] ?? [];
    const mapping = Object.fromEntries(headers.map((h, i) => [h, this.mapping[i] ?? '']));
    this.running = dryRun ? 'dry' : 'import';
    this.error = '';
    this.result = undefined;
    try {
      this.result = await client.members.import(this.csv, {
        format: 'csv',
        dryRun,
        onDuplicate: this.onDuplicate,
        mapping,
      });
      if (!dryRun && this.result.applied) this.emit('member-admin-import', { result: this.result });
    } catch (error) {
      this.error = errorMessage(error, this.strings);
    } finally {
      this.running = undefined;
    }
  }

  private currentFilter(): MemberFilter {
    if (this.filter) return this.filter;
    const table = this.closest('member-admin-provider')?.querySelector('member-admin-table');
    return table?.filter ?? {};
  }

  private async runExport(): Promise<void> {
    const client = this.admin?.client;
    if (!client) return;
    this.running = 'export';
    this.exportNote = '';
    try {
      const csv = await exportCsv(client, this.currentFilter());
      const rows = Math.max(0, csv.split('\n').filter((l) => l.trim()).length - 1);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `members-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.exportNote = this.strings.exportReady(rows);
      this.emit('member-admin-export', { csv, rows });
    } catch (error) {
      this.exportNote = errorMessage(error, this.strings);
    } finally {
      this.running = undefined;
    }
  }

  protected override render(): TemplateResult {
    const s = this.strings;
    if (!this.admin) return html`<p>${s.noSession}</p>`;
    return html`${this.can('member:create') ? this.renderImport() : nothing}
      <section aria-labelledby="export-title">
        <h2 id="export-title">${s.exportTitle}</h2>
        <div class="row">
          <button type="button" data-action="export" ?disabled=${this.running !== undefined} @click=${this.runExport}>${this.running === 'export' ? s.exporting : s.exportCsv}</button>
          <span role="status">${this.exportNote}</span>
        </div>
      </section>`;
  }

  private renderImport(): TemplateResult {
    const s = this.strings;
    const headers = this.preview[0] ?? [];
    const r = this.result;
    return html`<section aria-labelledby="import-title" aria-busy=${this.running === 'dry' || this.running === 'import' ? 'true' : 'false'}>
      <h2 id="import-title">${s.importTitle}</h2>
      <label>${s.csvFile} <input type="file" name="file" accept=".csv,text/csv" @change=${this.onFile} /></label>
      ${
        headers.length
          ? html`<table>
              <caption>
                ${s.mapColumns}
              </caption>
              <thead>
                <tr>
                  ${headers.map((h) => html`<th scope="col">${h}</th>`)}
                </tr>
                <tr>
                  ${headers.map(
                    (h, i) => html`<td>
                      <select
                        aria-label=${`${s.mapColumns}: ${h}`}
                        data-column=${h}
                        @change=${(e: Event) => (this.mapping = this.mapping.map((m, j) => (j === i ? (e.target as HTMLSelectElement).value : m)))}
                      >
                        <option value="" ?selected=${!this.mapping[i]}>${s.ignoreColumn}</option>
                        ${this.targets.map((t) => html`<option value=${t} ?selected=${this.mapping[i] === t}>${this.targetLabel(t)}</option>`)}
                      </select>
                    </td>`,
                  )}
                </tr>
              </thead>
              <tbody>
                ${this.preview.slice(1).map(
                  (row) => html`<tr>
                    ${headers.map((_, i) => html`<td>${row[i] ?? ''}</td>`)}
                  </tr>`,
                )}
              </tbody>
            </table>
            <p class="hint">${s.previewRows(Math.min(PREVIEW_ROWS, this.preview.length - 1))}</p>
            <div class="row">
              <label
                >${s.onDuplicate}
                <select name="on-duplicate" @change=${(e: Event) => (this.onDuplicate = (e.target as HTMLSelectElement).value as 'skip' | 'update')}>
                  <option value="skip" ?selected=${this.onDuplicate === 'skip'}>${s.duplicateSkip}</option>
                  ${this.can('member:update') ? html`<option value="update" ?selected=${this.onDuplicate === 'update'}>${s.duplicateUpdate}</option>` : nothing}
                </select></label
              >
              <button type="button" data-action="dry-run" ?disabled=${this.running !== undefined} @click=${() => this.run(true)}>${s.dryRun}</button>
              <button type="button" class="primary" data-action="import" ?disabled=${this.running !== undefined} @click=${() => this.run(false)}>${s.runImport}</button>
              ${this.running === 'dry' || this.running === 'import' ? html`<progress aria-label=${s.importing}></progress>` : nothing}
            </div>`
          : nothing
      }
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing} ${r ? this.renderResult(r) : nothing}
    </section>`;
  }

  private renderResult(r: ImportResult): TemplateResult {
    const s = this.strings;
    const t = r.totals;
    const summary = r.dry_run
      ? s.dryRunResult(t.rows, t.failed)
      : r.applied
        ? s.importResult(t.created, t.updated, t.skipped)
        : s.importFailed;
    return html`<div data-result role="status">
      <p>${summary}</p>
      ${
        r.errors.length
          ? html`<ul class="error">
            ${r.errors.map((e) => html`<li data-line=${e.line}>${s.rowError(e.line, e.field, e.message)}</li>`)}
          </ul>`
          : nothing
      }
    </div>`;
  }
}

defineElement('member-admin-import', MemberAdminImport);

declare global {
  interface HTMLElementTagNameMap {
    'member-admin-import': MemberAdminImport;
  }
}
