/** `instrumentGraphql()` first, then `Sentry.init` (default integrations): see sentry-node-suite.ts. */
import { graphqlWithSentryNodeDefaults } from './sentry-node-suite';

graphqlWithSentryNodeDefaults('ours-first', 'test/integration/graphql/graphql-sentry-node-later.test.ts');
