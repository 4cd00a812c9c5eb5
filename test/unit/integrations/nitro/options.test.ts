import { describe, expect, it } from 'vitest';
import { instrumentNitro } from '../../../../src/nitro';
import { resolveNitroOptions } from '../../../../src/integrations/nitro/options';

describe('instrumentNitro options', () => {
  it('defaults: every flag on', () => {
    expect(resolveNitroOptions(undefined)).toEqual({ captureErrors: true, middlewareSpans: true, continueIncomingTrace: true });
    expect(resolveNitroOptions({ middlewareSpans: false })).toEqual({ captureErrors: true, middlewareSpans: false, continueIncomingTrace: true });
  });

  it.each(['captureErrors', 'middlewareSpans', 'continueIncomingTrace'])('a non-boolean %s throws a TypeError naming it, at setup', (key) => {
    expect(() => instrumentNitro({ [key]: 'no' } as never)).toThrow(new TypeError(`instrumentNitro: \`options.${key}\` must be a boolean, got string`));
  });

  it('options that are not an object throw a TypeError', () => {
    expect(() => instrumentNitro(null as never)).toThrow(/`options` must be an object, got null/);
    expect(() => instrumentNitro(3 as never)).toThrow(TypeError);
  });
});
