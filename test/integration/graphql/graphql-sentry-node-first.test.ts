/** `Sentry.init` (default integrations) first, then `instrumentGraphql()`: see sentry-node-suite.ts. */
import { graphqlWithSentryNodeDefaults } from './sentry-node-suite';

graphqlWithSentryNodeDefaults('sentry-first', 'test/integration/graphql/graphql-sentry-node-first.test.ts');
