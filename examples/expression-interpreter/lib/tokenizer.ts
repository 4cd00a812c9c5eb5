/** Source text → tokens. Published as `exprlang.tokenize` (synchronous). */
// In a real library: import { traceSync } from 'tracing-channel-span/publish';
import { traceSync } from '../../../src/publish';
import { ExprError, type Token } from './ast';
import { CHANNELS, type TokenizePayload } from './channels';

const OPERATORS = new Set(['+', '-', '*', '/', '^']);

function scan(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      i++;
    } else if (/[0-9.]/.test(ch)) {
      const start = i;
      while (i < source.length && /[0-9.]/.test(source[i])) i++;
      const value = Number(source.slice(start, i));
      if (Number.isNaN(value)) throw new ExprError(`bad number "${source.slice(start, i)}"`, start);
      tokens.push({ type: 'number', value, offset: start });
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i])) i++;
      tokens.push({ type: 'identifier', value: source.slice(start, i), offset: start });
    } else if (ch === '"') {
      const start = i;
      const end = source.indexOf('"', i + 1);
      if (end === -1) throw new ExprError('unterminated string', start);
      tokens.push({ type: 'string', value: source.slice(i + 1, end), offset: start });
      i = end + 1;
    } else if (OPERATORS.has(ch)) {
      tokens.push({ type: 'operator', value: ch as '+', offset: i++ });
    } else if (ch === '(' || ch === ')') {
      tokens.push({ type: 'paren', value: ch, offset: i++ });
    } else if (ch === ',') {
      tokens.push({ type: 'comma', value: ',', offset: i++ });
    } else {
      throw new ExprError(`unexpected character "${ch}"`, i);
    }
  }
  return tokens;
}

/** Splits `source` into tokens; throws an {@link ExprError} on a character it does not know. */
export function tokenize(source: string): Token[] {
  const payload: TokenizePayload = { source };
  return traceSync(CHANNELS.tokenize, scan, payload, undefined, source);
}
