export { type ForwardedAssignment, parseQuestionFormAnswers } from './answers.js';
export { ForwarderConfigError, ForwardFailedError, InvalidNotificationError } from './errors.js';
export { createForwarder, type ForwarderDeps, type ForwardResult } from './handler.js';
export { forwarderFromEnv, handler } from './lambda.js';
export { listAllAssignments } from './list-assignments.js';
export { type MTurkEvent, type SnsRecordLike, submittedHitIds } from './notification.js';
export { createSecretLoader, parseSecretSource, type SecretLoaderOptions, type SecretSource } from './secret.js';
export { SIGNATURE_HEADER, signCallback, TIMESTAMP_HEADER } from './sign.js';
