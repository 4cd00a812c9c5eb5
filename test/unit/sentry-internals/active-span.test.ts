/**
 * `activeSpanIn(store)`: the caller's active span read from the store (rule-14 checks), only after
 * it agreed with `getActiveSpan()`, and never again once it disagreed. Scope-pair strategy with a
 * recording client.
 */
import { getActiveSpan, startInactiveSpan, startSpan, withActiveSpan } from '@sentry/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setScopePairAsyncContextStrategy } from '../../../src/index';
import { readTracingChannelBinding } from '../../../src/sentry-internals/strategy-slot';
import { activeSpanIn, activeSpanReaderVerdicts, resetActiveSpanReaders } from '../../../src/sentry-internals/active-span';
import { installRecordingClient } from '../../helpers/test-client';

const store = () => readTracingChannelBinding()!.asyncLocalStorage.getStore();

beforeAll(() => {
  setScopePairAsyncContextStrategy();
  installRecordingClient();
});
afterEach(() => resetActiveSpanReaders());

describe('activeSpanIn', () => {
  it('scope pair: the first answer is getActiveSpan()\'s, later ones are read from the store, and they agree', () => {
    startSpan({ name: 'outer' }, (outer) => {
      expect(activeSpanReaderVerdicts().scope).toBe('unknown');
      expect(activeSpanIn(store())).toBe(outer);
      expect(activeSpanReaderVerdicts().scope).toBe('direct');
      const inner = startInactiveSpan({ name: 'inner' });
      withActiveSpan(inner, () => {
        expect(activeSpanIn(store())).toBe(inner);
        expect(getActiveSpan()).toBe(inner);
      });
      expect(activeSpanIn(store())).toBe(outer);
      inner.end();
    });
  });

  it('no span active: undefined, and the shape stays unverified', () => {
    withActiveSpan(null, () => {
      expect(activeSpanIn(store())).toBeUndefined();
      expect(activeSpanReaderVerdicts().scope).toBe('unknown');
    });
  });

  it('a store whose own span disagrees with getActiveSpan(): that shape goes back to getActiveSpan() for good', () => {
    startSpan({ name: 'real' }, (real) => {
      const other = startInactiveSpan({ name: 'other' });
      const misleading = { scope: { refs: { span: other } } };
      expect(activeSpanIn(misleading)).toBe(real);
      expect(activeSpanReaderVerdicts().scope).toBe('generic');
      expect(activeSpanIn(misleading)).toBe(real);
      expect(activeSpanIn(store())).toBe(real);
      other.end();
    });
  });

  it('a store of no known shape: getActiveSpan()', () => {
    startSpan({ name: 'real' }, (real) => {
      expect(activeSpanIn(undefined)).toBe(real);
      expect(activeSpanIn(42)).toBe(real);
      expect(activeSpanIn({ unrelated: true })).toBe(real);
    });
  });
});
