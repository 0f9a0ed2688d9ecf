/**
 * CSV as Bulk API 2.0 reads and writes it: RFC 4180 quoting, the job's column delimiter (COMMA,
 * TAB, PIPE, SEMICOLON, CARET, BACKQUOTE) and line ending (LF, CRLF).
 */
export const DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};

export const LINE_ENDINGS: Record<string, string> = { LF: '\n', CRLF: '\r\n' };

/** Parse CSV text into rows of strings. Throws on an unterminated quote. */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (text.charAt(i + 1) === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      i++;
    } else if (c === delimiter) {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += c === '\r' && text.charAt(i + 1) === '\n' ? 2 : 1;
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Serialize rows (header first) to CSV; every value quoted as Salesforce's result files are. */
export function toCsv(rows: string[][], delimiter = ',', lineEnding = '\n'): string {
  return rows
    .map((row) => row.map((v) => `"${v.replace(/"/g, '""')}"`).join(delimiter))
    .join(lineEnding)
    .concat(rows.length ? lineEnding : '');
}
