/** Tokens → syntax tree (recursive descent). Published as `exprlang.parse` (synchronous). */
// In a real library: import { traceSync } from 'tracing-channel-span/publish';
import { traceSync } from '../../../src/publish';
import { ExprError, type Node, type Token } from './ast';
import { CHANNELS, type ParsePayload } from './channels';
import { tokenize } from './tokenizer';

//   expression := term (('+' | '-') term)*
//   term       := power (('*' | '/') power)*
//   power      := unary ('^' power)?
//   unary      := '-' unary | primary
//   primary    := number | string | identifier | identifier '(' args ')' | '(' expression ')'
class Parser {
  private _pos = 0;

  constructor(
    private readonly _tokens: Token[],
    private readonly _sourceLength: number,
  ) {}

  parseProgram(): Node {
    const node = this._expression();
    const extra = this._peek();
    if (extra) throw new ExprError(`unexpected "${String(extra.value)}"`, extra.offset);
    return node;
  }

  private _peek(): Token | undefined {
    return this._tokens[this._pos];
  }

  private _next(): Token {
    const token = this._tokens[this._pos++];
    if (!token) throw new ExprError('unexpected end of input', this._sourceLength);
    return token;
  }

  private _isOperator(...ops: string[]): boolean {
    const token = this._peek();
    return token?.type === 'operator' && ops.includes(token.value);
  }

  private _expression(): Node {
    let left = this._term();
    while (this._isOperator('+', '-')) {
      const operator = this._next().value as '+' | '-';
      left = { type: 'binary', operator, left, right: this._term() };
    }
    return left;
  }

  private _term(): Node {
    let left = this._power();
    while (this._isOperator('*', '/')) {
      const operator = this._next().value as '*' | '/';
      left = { type: 'binary', operator, left, right: this._power() };
    }
    return left;
  }

  private _power(): Node {
    const base = this._unary();
    if (!this._isOperator('^')) return base;
    this._next();
    return { type: 'binary', operator: '^', left: base, right: this._power() };
  }

  private _unary(): Node {
    if (this._isOperator('-')) {
      this._next();
      return { type: 'unary', operator: '-', operand: this._unary() };
    }
    return this._primary();
  }

  private _primary(): Node {
    const token = this._next();
    switch (token.type) {
      case 'number':
      case 'string':
        return { type: 'literal', value: token.value };
      case 'identifier':
        if (this._peek()?.type === 'paren' && this._peek()?.value === '(') return this._call(token.value);
        return { type: 'variable', name: token.value };
      case 'paren':
        if (token.value === '(') {
          const inner = this._expression();
          this._expect(')');
          return inner;
        }
        break;
    }
    throw new ExprError(`unexpected "${String(token.value)}"`, token.offset);
  }

  private _call(name: string): Node {
    this._next(); // '('
    const args: Node[] = [];
    if (!(this._peek()?.type === 'paren' && this._peek()?.value === ')')) {
      args.push(this._expression());
      while (this._peek()?.type === 'comma') {
        this._next();
        args.push(this._expression());
      }
    }
    this._expect(')');
    return { type: 'call', name, args };
  }

  private _expect(value: string): void {
    const token = this._next();
    if (token.value !== value) throw new ExprError(`expected "${value}" but found "${String(token.value)}"`, token.offset);
  }
}

function parseSource(source: string): Node {
  return new Parser(tokenize(source), source.length).parseProgram();
}

/** Parses `source` into a syntax tree; throws an {@link ExprError} on a syntax error. */
export function parse(source: string): Node {
  const payload: ParsePayload = { source };
  return traceSync(CHANNELS.parse, parseSource, payload, undefined, source);
}
