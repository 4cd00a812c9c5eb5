/** The SQL text helpers behind `db.query.text`, `db.operation.name` and failed-statement messages. */
import { describe, expect, it } from 'vitest';
import { MAX_SQL_TEXT_LENGTH, readSqlOperationName, sanitizeSqlLiterals, truncateSqlText } from '../../../../src/integrations/sql/sql-text';
import { readSqlErrorStatusCode, redactSqlErrorMessage } from '../../../../src/integrations/sql/sql-error';

describe('sanitizeSqlLiterals', () => {
  it.each([
    ["SELECT 1 + 41 AS n, 'it\\'s' AS s", 'SELECT ? + ? AS n, ? AS s'],
    ["INSERT INTO `t2` (`a`, `b1`) VALUES ('x''y', NULL, true)", 'INSERT INTO `t2` (`a`, `b1`) VALUES (?, NULL, true)'],
    ['SELECT * FROM t1 WHERE a = -5 AND b = a-1 AND c IN (1, 2.5, 3e4)', 'SELECT * FROM t1 WHERE a = ? AND b = a-? AND c IN (?, ?, ?)'],
    ["SELECT X'0aff', 0x1F, b'01', _utf8'x'", 'SELECT ?, ?, ?, _utf8?'],
    ['SELECT ? + ?', 'SELECT ? + ?'],
    ["/* 'kept' */ SELECT \"dq\" -- 5\n FROM t", "/* 'kept' */ SELECT ? -- 5\n FROM t"],
    ["UPDATE t SET at = '2020-01-01 00:00:00.000' WHERE id = 7", 'UPDATE t SET at = ? WHERE id = ?'],
    ['SELECT `weird``name` FROM t9', 'SELECT `weird``name` FROM t9'],
    ["SELECT 'unterminated", 'SELECT ?'],
    ['SELECT a-1, (-2), x - -3, 1.5e-3, .5, t.1col, 2nd FROM t', 'SELECT a-?, (?), x - ?, ?, ?, t.1col, 2nd FROM t'],
    ["SELECT 1 # 'hash comment'\n, @v1", "SELECT ? # 'hash comment'\n, @v1"],
  ])('%j becomes %j', (input, expected) => {
    expect(sanitizeSqlLiterals(input)).toBe(expected);
  });
});

describe('readSqlOperationName', () => {
  it.each([
    ['select 1', 'SELECT'],
    ['  (SELECT 1) UNION (SELECT 2)', 'SELECT'],
    ['/* c */ -- x\n insert into t values (1)', 'INSERT'],
    ['CALL proc()', 'CALL'],
    ['? + 1', undefined],
    ['', undefined],
  ])('%j gives %j', (input, expected) => {
    expect(readSqlOperationName(input)).toBe(expected);
  });
});

describe('truncateSqlText', () => {
  it('keeps text up to the cap and cuts longer text with a trailing ellipsis', () => {
    expect(truncateSqlText('x'.repeat(MAX_SQL_TEXT_LENGTH))).toHaveLength(MAX_SQL_TEXT_LENGTH);
    const cut = truncateSqlText('x'.repeat(MAX_SQL_TEXT_LENGTH + 10));
    expect(cut).toHaveLength(MAX_SQL_TEXT_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
  });
});

describe('failed statements', () => {
  it('status code: errno first, then a string code, else nothing', () => {
    expect(readSqlErrorStatusCode({ errno: 1146, code: 'ER_NO_SUCH_TABLE' })).toBe('1146');
    expect(readSqlErrorStatusCode({ code: 'ERR_SQLITE_ERROR' })).toBe('ERR_SQLITE_ERROR');
    expect(readSqlErrorStatusCode(new Error('x'))).toBeUndefined();
    expect(readSqlErrorStatusCode('boom')).toBeUndefined();
  });

  it('messages lose the values the server echoes', () => {
    expect(redactSqlErrorMessage("Duplicate entry 'ada@example.com' for key 'email'")).toBe('Duplicate entry ? for key ?');
    expect(redactSqlErrorMessage("You have an error in your SQL syntax; near ''t' (a) VALUES ('secret')' at line 1")).toBe(
      'You have an error in your SQL syntax; near ?',
    );
    expect(redactSqlErrorMessage("Table 'test.nope' doesn't exist")).toBe("Table ? doesn't exist");
  });
});
