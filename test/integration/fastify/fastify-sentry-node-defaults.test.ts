/** `@sentry/node` default integrations (its own `Fastify` on): instrumentFastify stands down. See sentry-node-suite.ts. */
import { fastifyWithSentryNode } from './sentry-node-suite';

fastifyWithSentryNode('defaults');
