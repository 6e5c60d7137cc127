// Prints the TS-side bodies as JSON lines for scripts/hash-ts-bodies.py:
//   node --conditions=source --import tsx packages/protocol/scripts/gen-ts-interop.ts | /usr/bin/python3 packages/protocol/scripts/hash-ts-bodies.py
import { makeTsBodies } from '../src/test-utils/ts-bodies.js';

for (const { synapse, body } of makeTsBodies(20261123, 200)) console.log(JSON.stringify({ synapse, body }));
