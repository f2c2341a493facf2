/**
 * A message as SendMessage / SendMessageBatch give it, validated as SQS validates it: the body's
 * characters and size, the message attributes (at most 10, names, data types, values), the
 * AWSTraceHeader system attribute, DelaySeconds, and the FIFO members (MessageGroupId required,
 * deduplication by MessageDeduplicationId or ContentBasedDeduplication, no per-message delay).
 * Sources: docs/emulator-semantics.md, "SQS".
 */
import { ServiceError } from '../common/service-error.ts';
import { sqsError } from './errors.ts';
import { attributesSize, md5Hex, md5OfAttributes, type Attributes, type AttributeValue } from './md5.ts';
import { contentDedupId, type NewMessage, type StoredAttributes } from './queue.ts';
import type { QueueSettings } from './queue-settings.ts';
import type { Input } from './wire.ts';

/** XML 1.0's Char production: the characters a message may contain. */
// eslint-disable-next-line no-control-regex -- tab, LF and CR are the allowed control characters
const INVALID_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const MAX_ATTRIBUTES = 10;

function invalid(message: string): ServiceError {
  return sqsError('InvalidParameterValue', message);
}

function attributesOf(raw: unknown, system: boolean): { stored?: StoredAttributes; values?: Attributes } {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('Message attributes must be a map.');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) return {};
  if (entries.length > MAX_ATTRIBUTES)
    throw invalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
  const stored: Record<string, StoredAttribute> = {};
  const values: Record<string, AttributeValue> = {};
  for (const [name, value] of entries) {
    if (system && name !== 'AWSTraceHeader')
      throw invalid(`Message system attribute name '${name}' is invalid.`);
    if (
      !ATTRIBUTE_NAME.test(name) ||
      /^(aws\.|amazon\.)/i.test(name) ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    )
      throw invalid(`Message (user) attribute name '${name}' is invalid.`);
    const v = (value ?? {}) as Record<string, unknown>;
    const dataType = typeof v.DataType === 'string' ? v.DataType : '';
    const base = dataType.split('.')[0];
    if (!['String', 'Number', 'Binary'].includes(base) || (system && dataType !== 'String'))
      throw invalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    if (base === 'Binary') {
      if (typeof v.BinaryValue !== 'string' || v.BinaryValue === '')
        throw invalid(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        );
      stored[name] = { DataType: dataType, BinaryValue: v.BinaryValue };
      values[name] = { DataType: dataType, BinaryValue: Buffer.from(v.BinaryValue, 'base64') };
    } else {
      if (typeof v.StringValue !== 'string' || v.StringValue === '')
        throw invalid(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        );
      if (INVALID_CHARACTER.test(v.StringValue))
        throw sqsError(
          'InvalidMessageContents',
          `Invalid characters found in the value of message attribute '${name}'.`,
        );
      stored[name] = { DataType: dataType, StringValue: v.StringValue };
      values[name] = { DataType: dataType, StringValue: v.StringValue };
    }
  }
  return { stored, values };
}

type StoredAttribute = StoredAttributes[string];

/** The validated message, ready for `Queue.send`. */
export function messageOf(input: Input, settings: QueueSettings, senderId: string): NewMessage {
  const body = input.MessageBody;
  if (typeof body !== 'string' || body === '')
    throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
  const bad = INVALID_CHARACTER.exec(body);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw sqsError(
      'InvalidMessageContents',
      `Invalid binary character '#x${code.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
  const attributes = attributesOf(input.MessageAttributes, false);
  const system = attributesOf(input.MessageSystemAttributes, true);
  const size = Buffer.byteLength(body) + attributesSize(attributes.values);
  if (size > settings.maximumMessageSize)
    throw invalid(
      `One or more parameters are invalid. Reason: Message must be shorter than ${settings.maximumMessageSize} bytes.`,
    );
  let delaySeconds: number | undefined;
  if (input.DelaySeconds !== undefined && input.DelaySeconds !== null) {
    const delay = Number(input.DelaySeconds);
    if (!Number.isInteger(delay) || delay < 0 || delay > 900)
      throw invalid(
        `Value ${String(input.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: Must be >= 0 and <= 900.`,
      );
    if (settings.fifo && delay !== 0)
      throw invalid(
        `Value ${delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
      );
    delaySeconds = delay;
  }
  const groupId = typeof input.MessageGroupId === 'string' ? input.MessageGroupId : undefined;
  let dedupId = typeof input.MessageDeduplicationId === 'string' ? input.MessageDeduplicationId : undefined;
  if (settings.fifo) {
    if (groupId === undefined || groupId === '')
      throw sqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
    if (dedupId === undefined) {
      if (!settings.contentBasedDeduplication)
        throw invalid(
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      dedupId = contentDedupId(body);
    }
  } else if (dedupId !== undefined) {
    throw invalid(
      'The request includes a parameter that is not valid for this queue type. Reason: MessageDeduplicationId is supported only for FIFO queues.',
    );
  }
  return {
    payload: { body, attributes: attributes.stored, systemAttributes: system.stored },
    md5: md5Hex(body),
    md5Attributes: md5OfAttributes(attributes.values),
    md5System: md5OfAttributes(system.values),
    delaySeconds,
    groupId: settings.fifo ? groupId : undefined,
    dedupId,
    senderId,
  };
}
