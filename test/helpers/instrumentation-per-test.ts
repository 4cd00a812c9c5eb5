/**
 * One integration handle per test: made fresh in `beforeEach` (after the recorder is reset),
 * unbound in `afterEach`. Tests that need other options call `replace`.
 */
import { afterEach, beforeEach } from 'vitest';
import type { Recorder } from './test-client';

/** The current handle of {@link instrumentEachTest}. */
export interface PerTestInstrumentation<H extends { unbind(): void }> {
  /** This test's handle (`undefined` between tests or after `stop`). */
  readonly current: H | undefined;
  /** Unbinds the current handle and makes another (e.g. with other options). */
  replace(make: () => H): H;
  /** Unbinds the current handle; nothing is instrumented until `replace`. */
  stop(): void;
}

/** Registers the hooks; `recorder()` is read at `beforeEach` time (it may be made in `beforeAll`). */
export function instrumentEachTest<H extends { unbind(): void }>(make: () => H, recorder: () => Recorder): PerTestInstrumentation<H> {
  let current: H | undefined;
  const handle: PerTestInstrumentation<H> = {
    get current() {
      return current;
    },
    replace(next) {
      handle.stop();
      current = next();
      return current;
    },
    stop() {
      current?.unbind();
      current = undefined;
    },
  };
  beforeEach(() => {
    current = make();
    recorder().reset();
  });
  afterEach(() => handle.stop());
  return handle;
}
