/** The `storage` and `database` options of `instrumentNitro()`: validated, then each layer bound. */
import { traceNitroDatabase } from './database';
import { traceNitroStorage } from './storage';

/** The options of {@link instrumentNitro} for Nitro's storage and database layers. */
export interface NitroDataLayerOptions {
  /**
   * A span per call of an unstorage 2 storage wrapped in `withTracing` (Nitro 3 does this with
   * `tracingChannel: true`): `db.operation.name` = the method (`getItem`, `setItem`, …), op
   * `cache.get` / `cache.put` / `cache.remove` (`db` for `getKeys`), `cache.key`, `cache.hit`.
   * Default `true`. Only inside a recording span.
   */
  storage?: boolean;
  /**
   * A span per db0 query of a database wrapped in `withTracing`: op `db`, `db.query.text` with
   * placeholders (never the values), `db.operation.name`, `db.system.name`. Default `true`. Only
   * inside a recording span.
   */
  database?: boolean;
}

function readFlag(options: NitroDataLayerOptions | undefined, name: keyof NitroDataLayerOptions): boolean {
  const value = options?.[name];
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw new TypeError(`instrumentNitro: \`options.${name}\` must be a boolean, got ${typeof value}`);
  return value;
}

/** The layer options with defaults applied; throws a `TypeError` naming a bad option. */
export function resolveNitroDataLayerOptions(options: NitroDataLayerOptions | undefined): Required<NitroDataLayerOptions> {
  return { storage: readFlag(options, 'storage'), database: readFlag(options, 'database') };
}

/** Binds the layers the resolved options ask for. */
export function traceNitroDataLayers({ storage, database }: Required<NitroDataLayerOptions>): { unbind(): void } {
  const layers = [storage ? traceNitroStorage() : undefined, database ? traceNitroDatabase() : undefined];
  return {
    unbind() {
      for (const layer of layers) layer?.unbind();
    },
  };
}
