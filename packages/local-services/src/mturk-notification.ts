import { randomUUID } from 'node:crypto';

/** One event of an MTurk notification message (the JSON MTurk publishes to SNS). */
export interface MTurkEvent {
  EventType: string;
  /** ISO 8601 UTC without milliseconds, e.g. `2019-08-09T21:17:16Z`. */
  EventTimestamp: string;
  HITId: string;
  AssignmentId?: string;
  HITTypeId: string;
}

/** The notification message body MTurk publishes (the SNS `Message` string, parsed). */
export interface MTurkEventMessage {
  Events: MTurkEvent[];
  EventDocId: string;
  SourceAccount: string;
  CustomerId: string;
  /** The `Version` given in the notification settings. */
  EventDocVersion: string;
}

/** An AWS Lambda event for an SNS subscription, as Lambda hands it to a handler. */
export interface SnsLambdaEvent {
  Records: Array<{
    EventSource: 'aws:sns';
    EventVersion: '1.0';
    EventSubscriptionArn: string;
    Sns: {
      Type: 'Notification';
      MessageId: string;
      TopicArn: string;
      Subject: string | null;
      Message: string;
      Timestamp: string;
      SignatureVersion: '1';
      Signature: string;
      SigningCertUrl: string;
      UnsubscribeUrl: string;
      MessageAttributes: Record<string, never>;
    };
  }>;
}

/** A notification the local server "published": destination, parsed message, raw message and the Lambda event. */
export interface MTurkNotification {
  /** The `Destination` of the HIT type's notification settings (an SNS topic ARN). */
  destination: string;
  transport: string;
  message: MTurkEventMessage;
  /** Exactly the SNS `Message` string (JSON). */
  messageJson: string;
  /** The SNS → Lambda event carrying `messageJson`, for driving a Lambda handler directly. */
  snsEvent: SnsLambdaEvent;
}

/** MTurk writes event timestamps at second precision. */
export function eventTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Wraps MTurk events into the notification message and SNS Lambda event MTurk and SNS would produce.
 *
 * @param p - destination/transport/version from the notification settings, the events, account ids and the clock.
 * @returns the notification with its message, raw JSON and Lambda event.
 */
export function buildNotification(p: {
  destination: string;
  transport: string;
  version: string;
  events: MTurkEvent[];
  sourceAccount: string;
  customerId: string;
  now: Date;
}): MTurkNotification {
  const message: MTurkEventMessage = {
    Events: p.events,
    EventDocId: randomUUID().replaceAll('-', '').padEnd(40, '0'),
    SourceAccount: p.sourceAccount,
    CustomerId: p.customerId,
    EventDocVersion: p.version,
  };
  const messageJson = JSON.stringify(message);
  const snsEvent: SnsLambdaEvent = {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${p.destination}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: p.destination,
          Subject: null,
          Message: messageJson,
          Timestamp: p.now.toISOString(),
          SignatureVersion: '1',
          Signature: 'local-mturk-server-unsigned',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/local.pem',
          UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${p.destination}`,
          MessageAttributes: {},
        },
      },
    ],
  };
  return { destination: p.destination, transport: p.transport, message, messageJson, snsEvent };
}
