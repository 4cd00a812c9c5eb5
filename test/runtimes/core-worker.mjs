// workerd entry (bundled by scripts/runtimes.mjs with esbuild): runs the conformance checks per
// request with the scope-pair strategy and an offline client, answers them as JSON.
import { setScopePairAsyncContextStrategy } from 'tracing-channel-span';
import { recordEnds, runConformance } from './conformance.mjs';
import { installOfflineClient } from './offline-client.mjs';

let ends;
export default {
  async fetch() {
    if (!ends) {
      setScopePairAsyncContextStrategy();
      ends = recordEnds(installOfflineClient());
    }
    return Response.json(await runConformance(ends));
  },
};
