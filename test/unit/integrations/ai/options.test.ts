import { describe, expect, it } from 'vitest';
import { instrumentAiSdk } from '../../../../src/ai';
import { resolveAiSdkOptions } from '../../../../src/integrations/ai/options';

describe('instrumentAiSdk options', () => {
  it('defaults: nothing recorded, streams wait 5 minutes', () => {
    expect(resolveAiSdkOptions(undefined)).toEqual({ recordInputs: false, recordOutputs: false, streamTimeoutMs: 300_000, onSentryIntegration: 'take-over' });
    expect(resolveAiSdkOptions({ recordInputs: true, streamTimeoutMs: 5, onSentryIntegration: 'stand-down' })).toEqual({
      recordInputs: true,
      recordOutputs: false,
      streamTimeoutMs: 5,
      onSentryIntegration: 'stand-down',
    });
    expect(resolveAiSdkOptions({ streamTimeoutMs: 1e12 }).streamTimeoutMs).toBe(2_147_483_647);
  });

  it.each(['recordInputs', 'recordOutputs'])('a non-boolean %s throws a TypeError naming it, at setup', (key) => {
    expect(() => instrumentAiSdk({ [key]: 1 } as never)).toThrow(new TypeError(`instrumentAiSdk: \`options.${key}\` must be a boolean, got number`));
  });

  it('onSentryIntegration other than the two policies throws a TypeError naming it', () => {
    expect(() => instrumentAiSdk({ onSentryIntegration: 'both' as never })).toThrow(/instrumentAiSdk: `options\.onSentryIntegration` must be 'take-over' or 'stand-down'/);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '100'])('streamTimeoutMs %s throws a TypeError naming it', (value) => {
    expect(() => instrumentAiSdk({ streamTimeoutMs: value as never })).toThrow(/`options\.streamTimeoutMs` must be a finite number > 0/);
  });
});
