/** exprlang's values, tokens and syntax tree. */

/** What an expression evaluates to. */
export type Value = number | string;

/** One lexical token, with its offset in the source for error messages. */
export type Token =
  | { type: 'number'; value: number; offset: number }
  | { type: 'string'; value: string; offset: number }
  | { type: 'identifier'; value: string; offset: number }
  | { type: 'operator'; value: '+' | '-' | '*' | '/' | '^'; offset: number }
  | { type: 'paren'; value: '(' | ')'; offset: number }
  | { type: 'comma'; value: ','; offset: number };

/** A node of the syntax tree. */
export type Node =
  | { type: 'literal'; value: Value }
  | { type: 'variable'; name: string }
  | { type: 'unary'; operator: '-'; operand: Node }
  | { type: 'binary'; operator: '+' | '-' | '*' | '/' | '^'; left: Node; right: Node }
  | { type: 'call'; name: string; args: Node[] };

/** An error in the program (syntax, unknown name, bad operand), with the offending position when known. */
export class ExprError extends Error {
  override name = 'ExprError';
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} at offset ${offset}`);
  }
}

/** Number of nodes in a tree. */
export function countNodes(node: Node): number {
  switch (node.type) {
    case 'literal':
    case 'variable':
      return 1;
    case 'unary':
      return 1 + countNodes(node.operand);
    case 'binary':
      return 1 + countNodes(node.left) + countNodes(node.right);
    case 'call':
      return node.args.reduce((sum, arg) => sum + countNodes(arg), 1);
  }
}
