import { testService } from '../helpers/service.ts';
import { smsFlowSuite } from './sms-flow.ts';

smsFlowSuite('the memory store', () => testService());
