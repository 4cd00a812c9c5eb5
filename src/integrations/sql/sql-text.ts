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

const DASH = 45;
const DOT = 46;
const SLASH = 47;
const STAR = 42;
const HASH = 35;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKTICK = 96;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Letters, digits, `_`, `$`, `@` and anything beyond ASCII: the characters of a word. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || isDigit(code) || code === 95 || code === 36 || code === 64 || code > 127;
}

/** The index just past the closing `quote` of a quoted run starting at `start` (or the text's end). */
function quotedRunEnd(sql: string, start: number, quote: number, backslashEscapes: boolean): number {
  for (let i = start + 1; i < sql.length; i++) {
    const code = sql.charCodeAt(i);
    if (backslashEscapes && code === 92) i++;
    else if (code === quote) {
      if (sql.charCodeAt(i + 1) !== quote) return i + 1;
      i++; // a doubled quote stands for one quote inside the literal
    }
  }
  return sql.length;
}

/** The end of the number literal starting at `start` (hex `0x…`, bit `0b…`, decimal with exponent). */
function numberEnd(sql: string, start: number): number {
  let i = start;
  const x = sql.charCodeAt(i + 1) | 32;
  if (sql.charCodeAt(i) === 48 && (x === 120 || x === 98)) {
    i += 2;
    while (i < sql.length && (isDigit(sql.charCodeAt(i)) || ((sql.charCodeAt(i) | 32) >= 97 && (sql.charCodeAt(i) | 32) <= 102))) i++;
    return i;
  }
  while (isDigit(sql.charCodeAt(i))) i++;
  if (sql.charCodeAt(i) === DOT) {
    i++;
    while (isDigit(sql.charCodeAt(i))) i++;
  }
  if ((sql.charCodeAt(i) | 32) === 101) {
    let j = i + 1;
    if (sql.charCodeAt(j) === 43 || sql.charCodeAt(j) === DASH) j++;
    if (isDigit(sql.charCodeAt(j))) {
      while (isDigit(sql.charCodeAt(j))) j++;
      i = j;
    }
  }
  return i;
}

/** Whether the text before `index` ends with an operand (`a`, `)`, a literal): a `-` there subtracts. */
function followsOperand(sql: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && sql.charCodeAt(i) <= 32) i--;
  if (i < 0) return false;
  const code = sql.charCodeAt(i);
  return isWordChar(code) || code === 41 || code === BACKTICK || code === QUOTE || code === DOUBLE_QUOTE || code === 63;
}

/**
 * `sql` with every string, number, hex and bit literal replaced by `?`. Identifiers (also
 * backquoted ones), keywords, `NULL`/`TRUE`/`FALSE`, comments and existing placeholders stay.
 * One pass over the text; unchanged runs are copied whole.
 */
export function sanitizeSqlLiterals(sql: string): string {
  let out = '';
  let copied = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const code = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if ((code === DASH && next === DASH) || code === HASH) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end;
    } else if (code === SLASH && next === STAR) {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (code === BACKTICK) {
      i = quotedRunEnd(sql, i, BACKTICK, false);
    } else if (code === QUOTE || code === DOUBLE_QUOTE) {
      // X'…' / B'…' / N'…': the prefix belongs to the literal (`_utf8'…'` keeps its introducer)
      const prefix = sql.charCodeAt(i - 1) | 32;
      const start = (prefix === 120 || prefix === 98 || prefix === 110) && i - 1 >= copied && !isWordChar(sql.charCodeAt(i - 2)) ? i - 1 : i;
      out += sql.slice(copied, start) + '?';
      i = copied = quotedRunEnd(sql, i, code, true);
    } else if (isDigit(code) || (code === DOT && isDigit(next)) || (code === DASH && (isDigit(next) || (next === DOT && isDigit(sql.charCodeAt(i + 2)))))) {
      if (code === DASH && followsOperand(sql, i)) {
        i++;
        continue;
      }
      const end = numberEnd(sql, code === DASH ? i + 1 : i);
      if (!isWordChar(sql.charCodeAt(end))) {
        out += sql.slice(copied, i) + '?';
        i = copied = end;
      } else {
        i = end; // a word that starts with digits (`1st`): not a literal
        while (i < n && isWordChar(sql.charCodeAt(i))) i++;
      }
    } else if (isWordChar(code)) {
      i++;
      while (i < n && isWordChar(sql.charCodeAt(i))) i++;
    } else {
      i++;
    }
  }
  return copied === 0 ? sql : out + sql.slice(copied);
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
