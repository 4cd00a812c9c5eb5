/** `instrumentMysql2()` called before `Sentry.init` with the default integrations. See the suite. */
import { mysql2SentryNodeSuite } from './mysql2-sentry-node-suite';

mysql2SentryNodeSuite('before-init');
