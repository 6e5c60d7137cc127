import { Type } from '@sinclair/typebox';
import { defineSynapse } from '../define-synapse.js';
import type { SynapseDefinition } from '../synapse.js';

/** The base `/Synapse` ping: no payload, no hash fields; every axon serves it and echoes it back (W5). */
export const SynapseDef: SynapseDefinition<object> = defineSynapse<object>({
  name: 'Synapse',
  schema: Type.Object({}),
  fieldTypes: {},
  requiredHashFields: [],
  defaultTimeoutS: 12,
});
