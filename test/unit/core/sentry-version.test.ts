import { SDK_VERSION } from '@sentry/core';
import { SDK_VERSION as NODE_SDK_VERSION } from '@sentry/node';
import { describe, expect, it } from 'vitest';
import { version as installedCore } from '@sentry/core/package.json';

// Pins what the Sentry dimension of `npm run test:matrix` runs against: with SENTRY_MATRIX_VERSION
// set, the suite must really load that release (not the project's own devDependency).
describe('the @sentry/core release under test', () => {
  const expected = process.env.SENTRY_MATRIX_VERSION ?? installedCore;
  it(`@sentry/core and @sentry/node are ${expected}`, () => {
    expect(SDK_VERSION).toBe(expected);
    expect(NODE_SDK_VERSION).toBe(expected);
  });
});
