import type { AccessRequest, DeliveryEvent, VerifiedPrincipal } from "./records.js";
import { type AvroSchema, isNamedReference, namedSchema } from "./schemas.js";

/**
 * The one mapping between the records' two outside forms and `records.ts`'s types: the values avsc decodes (through
 * `@kafkajs/confluent-schema-registry`) and the webhook body's JSON (docs/webhook.md "Body"). It is strict, as the
 * Java `AvroJson` is: a value of the wrong type, a missing field or (in JSON) an unknown one is an error naming its
 * path, so that nothing half-read reaches a verifier.
 */

/**
 * `avro`: avsc's values (bytes as Buffer, a union of several records wrapped in an object named by the branch's full
 * name, a union of null and one type unwrapped). `json`: the webhook form (bytes as standard base64, a union of
 * several records as `{"<RecordName>": {...}}`, a union of null and one type as the value or null).
 */
export type SourceForm = "avro" | "json";

/** A value that is not the record it should be: the message names where. */
export class RecordShapeError extends Error {}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NAMESPACE_PREFIX = "io.idstream.avro.";

/** A `DeliveryEvent` as its union: `{record: "CredentialDelivery", ...}` or `{record: "ConsumerNotice", ...}`. */
export function deliveryEventFrom(value: unknown, form: SourceForm): DeliveryEvent {
  const envelope = convert("DeliveryEvent", value, form, "DeliveryEvent") as { event: DeliveryEvent };
  return envelope.event;
}

/** A `DeliveryEvent` union's JSON form, `{"CredentialDelivery": {...}}`, as the webhook body's `event` holds it. */
export function deliveryEventFromJson(event: unknown): DeliveryEvent {
  return deliveryEventFrom({ event }, "json");
}

export function verifiedPrincipalFrom(value: unknown, form: SourceForm): VerifiedPrincipal {
  return convert("VerifiedPrincipal", value, form, "VerifiedPrincipal") as VerifiedPrincipal;
}

/** An `AccessRequest` as avsc encodes it: bytes as Buffer. */
export function accessRequestToAvro(request: AccessRequest): Record<string, unknown> {
  return {
    requestId: request.requestId,
    consumerId: request.consumerId,
    holderId: request.holderId,
    credentialType: request.credentialType,
    credentialId: request.credentialId,
    purpose: request.purpose,
    createdAt: request.createdAt,
    fields: [...request.fields],
    signature: Buffer.from(request.signature),
  };
}

function convert(schema: AvroSchema, value: unknown, form: SourceForm, path: string): unknown {
  if (isNamedReference(schema)) {
    return convert(namedSchema(schema), value, form, path);
  }
  if (Array.isArray(schema)) {
    return union(schema, value, form, path);
  }
  if (typeof schema === "string") {
    return primitive(schema, value, form, path);
  }
  switch (schema.type) {
    case "record":
      return record(schema, value, form, path);
    case "enum": {
      const symbols = schema.symbols as string[];
      if (typeof value !== "string" || !symbols.includes(value)) {
        throw new RecordShapeError(`${path} must be one of ${schema.name as string}'s symbols`);
      }
      return value;
    }
    case "array": {
      if (!Array.isArray(value)) {
        throw new RecordShapeError(`${path} must be an array`);
      }
      return value.map((item, index) => convert(schema.items as AvroSchema, item, form, `${path}[${index}]`));
    }
    default:
      if (typeof schema.type === "string" && !isNamedReference(schema.type)) {
        return primitive(schema.type, value, form, path);
      }
      throw new RecordShapeError(`${path}: no mapping for Avro type ${JSON.stringify(schema.type)}`);
  }
}

function record(schema: { [key: string]: unknown }, value: unknown, form: SourceForm, path: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new RecordShapeError(`${path} must be an object`);
  }
  const source = value as Record<string, unknown>;
  const fields = schema.fields as { name: string; type: AvroSchema }[];
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    if (!Object.prototype.hasOwnProperty.call(source, field.name)) {
      throw new RecordShapeError(`${path}.${field.name} is missing`);
    }
    result[field.name] = convert(field.type, source[field.name], form, `${path}.${field.name}`);
  }
  if (form === "json") {
    for (const name of Object.keys(source)) {
      if (!fields.some((field) => field.name === name)) {
        throw new RecordShapeError(`${path}.${name} is not a field of ${schema.name as string}`);
      }
    }
  }
  return result;
}

function union(branches: AvroSchema[], value: unknown, form: SourceForm, path: string): unknown {
  if (value === null && branches.includes("null")) {
    return null;
  }
  const others = branches.filter((branch) => branch !== "null");
  if (others.length === 1 && branches.length === 2) {
    return convert(others[0] as AvroSchema, value, form, path);
  }
  if (typeof value !== "object" || value === null || Object.keys(value).length !== 1) {
    throw new RecordShapeError(`${path} must be an object of one member naming its type`);
  }
  const [label, inner] = Object.entries(value)[0] as [string, unknown];
  const name = form === "avro" && label.startsWith(NAMESPACE_PREFIX) ? label.slice(NAMESPACE_PREFIX.length) : label;
  const branch = others.find((candidate) => candidate === name);
  if (branch === undefined || (form === "avro" && name === label)) {
    throw new RecordShapeError(`${path}: '${label}' is none of the union's types`);
  }
  return { record: name, ...(convert(branch, inner, form, `${path}.${name}`) as object) };
}

function primitive(type: string, value: unknown, form: SourceForm, path: string): unknown {
  switch (type) {
    case "string":
      if (typeof value !== "string") {
        throw new RecordShapeError(`${path} must be a string`);
      }
      return value;
    case "int":
      if (!Number.isInteger(value) || (value as number) < -(2 ** 31) || (value as number) >= 2 ** 31) {
        throw new RecordShapeError(`${path} must be a 32-bit integer`);
      }
      return value;
    case "long":
      if (!Number.isSafeInteger(value)) {
        throw new RecordShapeError(`${path} must be an integer within 2^53`);
      }
      return value;
    case "boolean":
      if (typeof value !== "boolean") {
        throw new RecordShapeError(`${path} must be true or false`);
      }
      return value;
    case "bytes":
      return bytes(value, form, path);
    default:
      throw new RecordShapeError(`${path}: no mapping for Avro type ${type}`);
  }
}

function bytes(value: unknown, form: SourceForm, path: string): Uint8Array {
  if (form === "avro") {
    if (!(value instanceof Uint8Array)) {
      throw new RecordShapeError(`${path} must be bytes`);
    }
    return new Uint8Array(value);
  }
  if (typeof value !== "string" || !BASE64.test(value)) {
    throw new RecordShapeError(`${path} is not base64`);
  }
  return new Uint8Array(Buffer.from(value, "base64"));
}
