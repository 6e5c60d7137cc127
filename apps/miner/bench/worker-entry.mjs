// Worker threads do not inherit the tsx loader hooks of the main thread: register them, then run the bench's worker code.
import { register } from 'tsx/esm/api';

register();
await import('./load.ts');
