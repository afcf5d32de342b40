import { memoryStore } from '../../../src/stores/memory.ts';
import { powConformanceSuite } from './conformance.ts';

powConformanceSuite('memory', async () => memoryStore());
