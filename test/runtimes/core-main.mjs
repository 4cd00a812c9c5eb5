// Runs the conformance checks on this runtime with the scope-pair strategy and an offline client.
// Usage: <runtime> core-main.mjs <label>; prints `<label>: N passed, M failed`, exit 1 on a failure.
import { setScopePairAsyncContextStrategy } from 'tracing-channel-span';
import { recordEnds, report, runConformance } from './conformance.mjs';
import { installOfflineClient } from './offline-client.mjs';

setScopePairAsyncContextStrategy();
const ends = recordEnds(installOfflineClient());
const results = await runConformance(ends);
console.log(report(process.argv[2] ?? 'conformance', results));
if (results.some((r) => !r.ok)) process.exitCode = 1;
