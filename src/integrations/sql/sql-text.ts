/**
 * SQL text for `db.query.text` and `db.operation.name`, shared by the mysql2 and db0 integrations.
 *
 * `sanitizeSqlLiterals` follows the OpenTelemetry rule for text that is not parameterized: every
 * literal becomes `?`. mysql2's `query()` pastes the bound values into the text it publishes
 * (`'SELECT 1 + ?', [41]` publishes `SELECT 1 + 41`), and a pasted value cannot be told from a
 * literal the caller wrote, so all of them go.
 */

/** `db.query.text` longer than this is cut, with a trailing `…`. */
export const MAX_SQL_TEXT_LENGTH = 2048;

function isIdentifierChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_$@#]/u.test(char);
}

/** The index just past the closing `quote` of a quoted run starting at `start` (or the text's end). */
function quotedRunEnd(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  for (let i = start + 1; i < sql.length; i++) {
    const char = sql[i];
    if (backslashEscapes && char === '\\') i++;
    else if (char === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i++; // a doubled quote stands for one quote inside the literal
    }
  }
  return sql.length;
}

const NUMBER = /^-?(?:0x[0-9a-f]+|0b[01]+|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;

/**
 * `sql` with every string, number, hex and bit literal replaced by `?`. Identifiers (also
 * backquoted ones), keywords, `NULL`/`TRUE`/`FALSE`, comments and existing placeholders stay.
 */
export function sanitizeSqlLiterals(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    const next = sql[i + 1];
    if ((char === '-' && next === '-') || char === '#') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (char === '`') {
      const stop = quotedRunEnd(sql, i, '`', false);
      out += sql.slice(i, stop);
      i = stop;
    } else if (char === "'" || char === '"') {
      // X'…' / B'…' / N'…' / _utf8'…': the prefix belongs to the literal
      if (/[xbn]$/i.test(out) && !isIdentifierChar(out[out.length - 2])) out = out.slice(0, -1);
      i = quotedRunEnd(sql, i, char, true);
      out += '?';
    } else if (/[\d.-]/.test(char) && !isIdentifierChar(sql[i - 1]) && !(char === '-' && !/[\d.]/.test(next ?? ''))) {
      const match = NUMBER.exec(sql.slice(i, i + 128));
      // `-` is a literal's sign only where an operand may start (`= -1`, `(-1`), not in `a-1`
      const signed = char === '-' && /[\w)`'"?]\s*$/.test(out);
      if (match && !signed && !isIdentifierChar(sql[i + match[0].length])) {
        out += '?';
        i += match[0].length;
      } else {
        out += char;
        i++;
      }
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

/**
 * `db.operation.name`: the statement's first keyword, upper-cased (`SELECT`, `INSERT`, `CALL`),
 * skipping leading comments and parentheses; `undefined` when there is none.
 */
export function readSqlOperationName(sql: string): string | undefined {
  const match = /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([A-Za-z]+)/.exec(sql);
  return match ? match[1]!.toUpperCase() : undefined;
}

/** `text` cut to {@link MAX_SQL_TEXT_LENGTH} characters, with a trailing `…` when cut. */
export function truncateSqlText(text: string): string {
  return text.length > MAX_SQL_TEXT_LENGTH ? text.slice(0, MAX_SQL_TEXT_LENGTH - 1) + '…' : text;
}
