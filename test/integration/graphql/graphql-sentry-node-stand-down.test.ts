/** `Sentry.init` (default integrations) first, then `instrumentGraphql({ onSentryIntegration: 'stand-down' })`: see sentry-node-suite.ts. */
import { graphqlWithSentryNodeDefaults } from './sentry-node-suite';

graphqlWithSentryNodeDefaults('sentry-first', 'test/integration/graphql/graphql-sentry-node-stand-down.test.ts', 'stand-down');
