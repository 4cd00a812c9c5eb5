import { describe, expect, it } from 'vitest';
import { instrumentNitro } from '../../../../src/nitro';
import { resolveNitroOptions } from '../../../../src/integrations/nitro/options';

describe('instrumentNitro options', () => {
  it('defaults: every flag on', () => {
    const on = { captureErrors: true, middlewareSpans: true, continueIncomingTrace: true, storage: true, database: true, onSentryIntegration: 'take-over' };
    expect(resolveNitroOptions(undefined)).toEqual(on);
    expect(resolveNitroOptions({ middlewareSpans: false, onSentryIntegration: 'stand-down' })).toEqual({ ...on, middlewareSpans: false, onSentryIntegration: 'stand-down' });
    expect(resolveNitroOptions({ storage: false, database: false })).toEqual({ ...on, storage: false, database: false });
  });

  it.each(['captureErrors', 'middlewareSpans', 'continueIncomingTrace', 'storage', 'database'])('a non-boolean %s throws a TypeError naming it, at setup', (key) => {
    expect(() => instrumentNitro({ [key]: 'no' } as never)).toThrow(new TypeError(`instrumentNitro: \`options.${key}\` must be a boolean, got string`));
  });

  it('onSentryIntegration other than the two policies throws a TypeError naming it', () => {
    expect(() => instrumentNitro({ onSentryIntegration: 'sentry' as never })).toThrow(/instrumentNitro: `options\.onSentryIntegration` must be 'take-over' or 'stand-down'/);
  });

  it('options that are not an object throw a TypeError', () => {
    expect(() => instrumentNitro(null as never)).toThrow(/`options` must be an object, got null/);
    expect(() => instrumentNitro(3 as never)).toThrow(TypeError);
  });
});
