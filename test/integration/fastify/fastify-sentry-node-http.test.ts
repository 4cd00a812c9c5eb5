/** `@sentry/node` without its `Fastify` integration: instrumentFastify under the Http server span. See sentry-node-suite.ts. */
import { fastifyWithSentryNode } from './sentry-node-suite';

fastifyWithSentryNode('without-sentry-fastify');
