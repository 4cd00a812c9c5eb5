/** The `storage` and `database` options of `instrumentNitro()` and the binding of each layer. */
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

/** Binds the layers the resolved options ask for (`resolveNitroOptions` checked them). */
export function traceNitroDataLayers({ storage, database }: Required<NitroDataLayerOptions>): { unbind(): void } {
  const layers = [storage ? traceNitroStorage() : undefined, database ? traceNitroDatabase() : undefined];
  return {
    unbind() {
      for (const layer of layers) layer?.unbind();
    },
  };
}
