// Client-side CSV for previews and downloads (RFC 4180 quoting).
export function parseCsv(text: string, maxRows = Infinity): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((x) => x.trim() !== '')) rows.push(row);
      row = [];
      if (rows.length >= maxRows) return rows;
    } else field += c;
  }
  row.push(field);
  if (row.some((x) => x.trim() !== '')) rows.push(row);
  return rows;
}

export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// Files handed to people (report downloads) follow OWASP's rule against formula injection, like the
// server's CSV files (docs/security.md): a cell starting with = + - @ (or full-width ＝ ＋ － ＠), tab or CR gets a leading
// apostrophe; plain numbers stay numbers. So does one after a semicolon inside a cell (past quotes and spaces), where a
// spreadsheet splitting lines at semicolons starts a cell (SafeCsv's rule). Not for files sent back to the server (those
// keep their text).
export function neutralise(value: unknown): unknown {
  if (typeof value !== 'string' || value === '' || /^-?[0-9]+(\.[0-9]+)?$/.test(value)) return value;
  const escaped = /^[=+\-@\t\r＝＋－＠]/.test(value) ? `'${value}` : value;
  return escaped.replace(/[;\n](?=[\s"]*[=+\-@\t\r＝＋－＠])/g, "$&'");
}

export function toSafeCsv(rows: unknown[][]): string {
  return toCsv(rows.map((r) => r.map(neutralise)));
}
