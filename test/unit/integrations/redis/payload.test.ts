/** The payload readers of the Redis integration, on the shapes node-redis 6 and ioredis 6 publish and on odd ones. */
import { describe, expect, it } from 'vitest';
import {
  MAX_QUERY_TEXT_LENGTH,
  findBatchReplyError,
  readBatchMode,
  readBatchSize,
  readCommandName,
  readErrorPrefix,
  readNamespace,
  readQueryText,
  readServerAddress,
  readServerPort,
} from '../../../../src/integrations/redis/payload';

describe('redis payload readers', () => {
  it('command name: upper-cased from either client, undefined when absent or not a string', () => {
    expect(readCommandName({ command: 'GET' })).toBe('GET');
    expect(readCommandName({ command: 'hgetall' })).toBe('HGETALL');
    expect(readCommandName({})).toBeUndefined();
    expect(readCommandName({ command: '' })).toBeUndefined();
    expect(readCommandName({ command: 42 })).toBeUndefined();
  });

  it('query text: node-redis args start with the command, ioredis args do not; redactions stay', () => {
    expect(readQueryText('redis', 'SET', { args: ['SET', 'k', '?'] })).toBe('SET k ?');
    expect(readQueryText('ioredis', 'SET', { args: ['k', '?'] })).toBe('SET k ?');
    expect(readQueryText('ioredis', 'PING', { args: [] })).toBe('PING');
    expect(readQueryText('redis', 'PING', {})).toBe('PING');
    expect(readQueryText('ioredis', 'GET', { args: 'not an array' })).toBe('GET');
  });

  it(`query text: cut at ${MAX_QUERY_TEXT_LENGTH} characters with a trailing ellipsis`, () => {
    const args = Array.from({ length: 1_000 }, (_, i) => `key:${i}`);
    const text = readQueryText('ioredis', 'DEL', { args });
    expect(text).toHaveLength(MAX_QUERY_TEXT_LENGTH);
    expect(text.endsWith('…')).toBe(true);
    expect(readQueryText('ioredis', 'DEL', { args: ['a'.repeat(MAX_QUERY_TEXT_LENGTH - 4)] })).toHaveLength(MAX_QUERY_TEXT_LENGTH);
  });

  it('namespace: the database index as a string, only for non-negative integers', () => {
    expect(readNamespace({ database: 0 })).toBe('0');
    expect(readNamespace({ database: 15 })).toBe('15');
    expect(readNamespace({ database: '3' })).toBe('3');
    expect(readNamespace({ database: -1 })).toBeUndefined();
    expect(readNamespace({ database: 1.5 })).toBeUndefined();
    expect(readNamespace({})).toBeUndefined();
  });

  it('server: address as published (host or socket path), port only when a positive integer', () => {
    expect(readServerAddress({ serverAddress: '127.0.0.1' })).toBe('127.0.0.1');
    expect(readServerAddress({ serverAddress: '/tmp/redis.sock' })).toBe('/tmp/redis.sock');
    expect(readServerAddress({ serverAddress: '' })).toBeUndefined();
    expect(readServerPort({ serverPort: 6379 })).toBe(6379);
    expect(readServerPort({ serverPort: '6380' })).toBe(6380);
    expect(readServerPort({ serverPort: undefined })).toBeUndefined();
    expect(readServerPort({ serverPort: 0 })).toBeUndefined();
  });

  it('batch: PIPELINE only when published as such, size only when a non-negative integer', () => {
    expect(readBatchMode({ batchMode: 'PIPELINE' })).toBe('PIPELINE');
    expect(readBatchMode({ batchMode: 'MULTI' })).toBe('MULTI');
    expect(readBatchMode({})).toBe('MULTI');
    expect(readBatchSize({ batchSize: 3 })).toBe(3);
    expect(readBatchSize({ batchSize: 0 })).toBe(0);
    expect(readBatchSize({ batchSize: '3' })).toBeUndefined();
  });

  it('batch replies: the first error of node-redis raw replies or of ioredis [error, value] pairs', () => {
    const wrongType = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(findBatchReplyError(['OK', wrongType, new Error('second')])).toBe(wrongType);
    expect(findBatchReplyError([[null, 'OK'], [wrongType, null]])).toBe(wrongType);
    expect(findBatchReplyError(['OK', 1, null])).toBeUndefined();
    expect(findBatchReplyError('OK')).toBeUndefined();
  });

  it('error prefix: the Redis simple error code, nothing for client-side messages', () => {
    expect(readErrorPrefix(new Error('WRONGTYPE Operation against a key'))).toBe('WRONGTYPE');
    expect(readErrorPrefix(new Error('ERR unknown command'))).toBe('ERR');
    expect(readErrorPrefix(new Error('EXECABORT Transaction discarded'))).toBe('EXECABORT');
    expect(readErrorPrefix(new Error('The client is closed'))).toBeUndefined();
    expect(readErrorPrefix(new Error('Connection is closed.'))).toBeUndefined();
    expect(readErrorPrefix(new Error('A timeout'))).toBeUndefined();
    expect(readErrorPrefix('ERR as a string')).toBeUndefined();
    expect(readErrorPrefix(null)).toBeUndefined();
  });
});
