/**
 * Turns what this integration records into span attribute values: JSON for prompts, outputs and
 * tool arguments (capped), and attribute maps without `undefined` entries.
 */

/** Longest string this integration puts into one attribute (128 KiB); longer ones are cut. */
export const MAX_RECORDED_LENGTH = 128 * 1024;

function replaceBinary(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (value instanceof URL) return value.href;
  return value;
}

/**
 * `value` as JSON for an attribute: a string stays as it is, binary data becomes `[N bytes]`,
 * and the result is cut to {@link MAX_RECORDED_LENGTH} characters. `undefined` when the value
 * cannot be serialized (a cycle, a throwing getter).
 */
export function toAttributeJson(value: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = typeof value === 'string' ? value : JSON.stringify(value, replaceBinary);
  } catch {
    return undefined;
  }
  if (json === undefined) return undefined;
  return json.length > MAX_RECORDED_LENGTH ? json.slice(0, MAX_RECORDED_LENGTH) : json;
}

/** The attributes without `undefined` values (OpenTelemetry spans warn about those). */
export function definedOnly<T extends Record<string, unknown>>(attributes: T): T {
  const defined = {} as Record<string, unknown>;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined) defined[key] = value;
  }
  return defined as T;
}
