/**
 * `tracing-channel-span/testing`: `checkTracingChannel` tells a library author whether their
 * TracingChannel is published the way subscribers rely on. No Sentry, no test-runner dependency.
 */
export { checkTracingChannel } from './testing/check-tracing-channel';
export type {
  CheckableStartChannel,
  CheckableSubChannel,
  CheckableTracingChannel,
  CheckTracingChannelOptions,
  TracingChannelCheck,
  TracingChannelProblem,
  TracingChannelRule,
} from './testing/types';
