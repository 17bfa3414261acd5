/**
 * Reads the first rows of a CSV text (RFC 4180: quoted fields, doubled quotes,
 * CRLF or LF), enough for the column mapping and the preview. The API parses the
 * whole file itself when importing.
 */
export function previewCsv(text: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (rows.length < maxRows && (field !== '' || row.length > 0)) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The member field a CSV column most likely holds, from its header (`E-Mail` → `email`), or `''`. */
export function guessTarget(header: string, targets: readonly string[]): string {
  const h = header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const aliases: Record<string, string> = {
    e_mail: 'email',
    mail: 'email',
    first: 'first_name',
    firstname: 'first_name',
    last: 'last_name',
    lastname: 'last_name',
    surname: 'last_name',
    tier: 'tier_id',
  };
  const name = aliases[h] ?? h;
  if (targets.includes(name)) return name;
  if (targets.includes(`custom_fields.${name}`)) return `custom_fields.${name}`;
  return '';
}
