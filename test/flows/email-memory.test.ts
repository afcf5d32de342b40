import { testService } from '../helpers/service.ts';
import { emailFlowSuite } from './email-flow.ts';

emailFlowSuite('the memory store', (env) => testService(env));
