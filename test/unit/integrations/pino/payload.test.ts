import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { readPinoLine } from '../../../../src/integrations/pino/payload';
import { sentryLogLevel } from '../../../../src/integrations/pino/logs';
import { resolvePinoOptions } from '../../../../src/integrations/pino/options';

describe('pino payload reader', () => {
  const logger = pino({ level: 'trace', customLevels: { audit: 35 } });

  it('a line of a real logger: level name and number, the message, the fields without pino bookkeeping', () => {
    const line = readPinoLine({
      instance: logger,
      arguments: [{ a: 1 }, 'hello', 30, 1],
      result: '{"level":30,"time":1,"pid":2,"hostname":"h","a":1,"msg":"hello"}\n',
    });
    expect(line).toEqual({ levelName: 'info', levelNumber: 30, message: 'hello', fields: { a: 1 } });
  });

  it('a custom level keeps its name; its severity follows the number', () => {
    const line = readPinoLine({ instance: logger, arguments: [{}, 'x', 35, 1], result: '{"level":35,"msg":"x"}' })!;
    expect(line.levelName).toBe('audit');
    expect(sentryLogLevel(line)).toBe('info');
    expect(sentryLogLevel({ levelName: 'x', levelNumber: 55 })).toBe('error');
    expect(sentryLogLevel({ levelName: 'x', levelNumber: 10 })).toBe('trace');
  });

  it('anything that is not a pino line reads as undefined, never throws', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(readPinoLine({ instance: logger, arguments: [{}, 'x', 30, 1], result: 'not json' })).toBeUndefined();
    expect(readPinoLine({ instance: logger, arguments: [{}, 'x', 99, 1], result: '{}' })).toBeUndefined();
    expect(readPinoLine({ instance: hostile, arguments: [{}, 'x', 30, 1], result: '{}' })).toBeUndefined();
    expect(readPinoLine(hostile as never)).toBeUndefined();
    expect(readPinoLine({})).toBeUndefined();
  });

  it('options: default levels, and a TypeError naming `levels`', () => {
    expect(resolvePinoOptions(undefined).levels).toEqual(['info', 'warn', 'error', 'fatal']);
    expect(resolvePinoOptions({ levels: ['debug', 'debug'] }).levels).toEqual(['debug']);
    expect(() => resolvePinoOptions({ levels: [3] } as never)).toThrow(/`options\.levels` must be an array/);
    expect(() => resolvePinoOptions('info' as never)).toThrow(/`options` must be an object/);
  });
});
