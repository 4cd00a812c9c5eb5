import { describe, expect, it } from 'vitest';
import { resolveGraphqlOptions } from '../../../../src/integrations/graphql/options';
import {
  MAX_DOCUMENT_LENGTH,
  originalError,
  readDocumentText,
  readOperationName,
  readOperationType,
  readResolveFields,
  readResultErrors,
  readSourceText,
} from '../../../../src/integrations/graphql/payload';
import { operationSpanName } from '../../../../src/integrations/graphql/spans';

const throwing = (key: string) =>
  Object.defineProperty({}, key, {
    get() {
      throw new Error(`${key} failed on purpose`);
    },
  });

describe('graphql payload readers', () => {
  it('operation type and name: the getters graphql publishes; a throwing or empty one reads as undefined', () => {
    expect(readOperationType({ operationType: 'query' })).toBe('query');
    expect(readOperationName({ operationName: 'GetUser' })).toBe('GetUser');
    expect(readOperationName({ operationName: '' })).toBeUndefined();
    expect(readOperationType(throwing('operationType'))).toBeUndefined();
    expect(readOperationName(throwing('operationName'))).toBeUndefined();
  });

  it('span names: `<type> <name>`, the type alone when anonymous, `graphql.<kind>` when no operation matched', () => {
    expect(operationSpanName('execute', 'query', 'GetUser')).toBe('query GetUser');
    expect(operationSpanName('execute', 'mutation', undefined)).toBe('mutation');
    expect(operationSpanName('subscribe', undefined, 'X')).toBe('graphql.subscribe');
  });

  it('document text from the parsed document or the source, cut at the limit', () => {
    expect(readDocumentText({ loc: { source: { body: '{ a }' } } })).toBe('{ a }');
    expect(readSourceText('{ b }')).toBe('{ b }');
    expect(readSourceText({ body: '{ c }' })).toBe('{ c }');
    expect(readDocumentText(throwing('loc'))).toBeUndefined();
    const long = readSourceText('x'.repeat(MAX_DOCUMENT_LENGTH + 10))!;
    expect(long).toHaveLength(MAX_DOCUMENT_LENGTH);
    expect(long.endsWith('…')).toBe(true);
  });

  it('result errors: `errors`, incremental `initialResult.errors`, none for an iterator or a hostile result', () => {
    const e = new Error('x');
    expect(readResultErrors({ errors: [e] })).toEqual([e]);
    expect(readResultErrors({ initialResult: { errors: [e] } })).toEqual([e]);
    expect(readResultErrors({ [Symbol.asyncIterator]: () => undefined })).toEqual([]);
    expect(readResultErrors(throwing('errors'))).toEqual([]);
    expect(originalError({ originalError: e })).toBe(e);
    expect(originalError(e)).toBe(e);
  });

  it('resolve fields, with isDefaultResolver only when exactly true', () => {
    expect(readResolveFields({ fieldName: 'name', fieldPath: 'user.name', parentType: 'User', fieldType: 'String', isDefaultResolver: true })).toEqual({
      fieldName: 'name',
      fieldPath: 'user.name',
      parentType: 'User',
      fieldType: 'String',
      isDefaultResolver: true,
    });
    expect(readResolveFields(throwing('fieldPath')).fieldPath).toBeUndefined();
    expect(readResolveFields({ isDefaultResolver: 'yes' }).isDefaultResolver).toBe(false);
  });
});

describe('instrumentGraphql options', () => {
  it('defaults, and a TypeError naming each bad option', () => {
    expect(resolveGraphqlOptions(undefined)).toEqual({
      parseAndValidate: true,
      resolvers: 'none',
      recordDocument: false,
      captureErrors: false,
      onSentryIntegration: 'take-over',
    });
    for (const key of ['parseAndValidate', 'recordDocument', 'captureErrors']) {
      expect(() => resolveGraphqlOptions({ [key]: 'no' } as never)).toThrow(new TypeError(`instrumentGraphql: \`options.${key}\` must be a boolean, got string`));
    }
    expect(() => resolveGraphqlOptions({ resolvers: 'every' } as never)).toThrow(/options\.resolvers/);
    expect(() => resolveGraphqlOptions(7 as never)).toThrow(/`options` must be an object, got number/);
  });
});
