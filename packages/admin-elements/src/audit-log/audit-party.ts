import { html, type TemplateResult } from 'lit';

/** An audit entry's actor or target as the API gives it; `label` is its current name, when it has one. */
export interface AuditParty {
  type: string;
  id: string;
  label?: string | null;
}

/**
 * Who acted, or what was changed, for people: the name the API looked up (a staff
 * user's or member's name and email, a key's name), with the kind and id on hover;
 * the kind and id when there is no name (system actors, deleted rows, older servers).
 */
export function renderAuditParty(party: AuditParty): TemplateResult {
  return party.label
    ? html`<span class="party" title=${`${party.type} ${party.id}`} data-id=${party.id}>${party.label}</span>`
    : html`<span class="party" data-id=${party.id}>${party.type} <code>${party.id}</code></span>`;
}
