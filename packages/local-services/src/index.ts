export { QUESTION_FORM_ANSWERS_NS, questionFormAnswersXml } from './mturk-answers.js';
export type { MTurkEvent, MTurkEventMessage, MTurkNotification, SnsLambdaEvent } from './mturk-notification.js';
export { type MTurkServer, type MTurkServerOptions, startMTurkServer } from './mturk-server.js';
export { MTurkApiError, type StoredAssignment, type StoredHit } from './mturk-state.js';
export { type IssuedCredentials, type StsServer, type StsServerOptions, startStsServer } from './mturk-sts-server.js';
export {
  type ChatRequestBody,
  DEFAULT_LOCAL_MODELS,
  type DojoChatResponderOptions,
  dojoChatResponder,
  type OpenAiFault,
  type OpenAiServer,
  type OpenAiServerOptions,
  type RecordedRequest,
  startOpenAiCompatibleServer,
} from './openai-server.js';
