// Runs the README's snippet for this runtime (scripts/runtimes.mjs copies it next to this file as
// readme-snippet.mjs), then one traced call on its channel, as a library would publish it: the
// snippet's span must be the active span inside. Prints `readme: N passed, M failed`.
import { getActiveSpan, spanToJSON, startSpan } from '@sentry/core';
import { tracePromise } from 'tracing-channel-span/publish';
import './readme-snippet.mjs';

const nameOf = (span) => (span ? (spanToJSON(span).description ?? spanToJSON(span).name) : undefined);
const inside = await startSpan({ name: 'readme root' }, () => tracePromise('mylib.query', async () => nameOf(getActiveSpan()), { sql: 'SELECT 1' }));
const ok = inside === 'SELECT 1';
if (!ok) console.log(`  FAIL readme snippet: active span inside the call was ${inside}`);
console.log(`readme: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
if (!ok) process.exitCode = 1;
