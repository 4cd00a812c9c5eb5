import { setScopePairAsyncContextStrategy } from '../../../src/index';
import { installRecordingClient } from '../../helpers/test-client';
import { defineLifecycleSuite } from './lifecycle-suite';

defineLifecycleSuite('scope pair', () => {
  setScopePairAsyncContextStrategy();
  return installRecordingClient();
});
