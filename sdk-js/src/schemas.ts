import { readFileSync } from "node:fs";

/**
 * The Avro schemas of the records a consumer reads and writes, shipped in the package's `avro/` directory as copies
 * of the repository's `schemas/src/main/avro/` (a test keeps them equal). They are the reader schemas records are
 * resolved into, as the Java clients read into their generated classes, and `AccessRequest`'s is the one a request
 * is registered and written under.
 */

/** An Avro schema in its JSON form. */
export type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };

/** The file of each named type, under the package's `avro/` directory. */
const FILES: Readonly<Record<string, string>> = {
  DeliveryEvent: "DeliveryEvent.avsc",
  CredentialDelivery: "CredentialDelivery.avsc",
  ConsumerNotice: "ConsumerNotice.avsc",
  Denial: "Denial.avsc",
  Revocation: "Revocation.avsc",
  Erasure: "Erasure.avsc",
  CredentialRevoked: "CredentialRevoked.avsc",
  VerifiedPrincipal: "VerifiedPrincipal.avsc",
  Principal: "Principal.avsc",
  Accreditation: "Accreditation.avsc",
  AccreditationWithdrawn: "AccreditationWithdrawn.avsc",
  PreviousKey: "PreviousKey.avsc",
  FieldCommitment: "common/FieldCommitment.avsc",
  DisclosedField: "common/DisclosedField.avsc",
  GrantTerms: "common/GrantTerms.avsc",
  NoticeKind: "common/NoticeKind.avsc",
  AccessRequest: "common/AccessRequest.avsc",
};

const NAMESPACE = "io.idstream.avro";
const PRIMITIVES = new Set(["null", "boolean", "int", "long", "float", "double", "bytes", "string"]);
const loaded = new Map<string, { [key: string]: unknown }>();

/** The names of the shipped schemas' types, and the file each is read from (relative to `avro/`). */
export const schemaFiles: Readonly<Record<string, string>> = FILES;

/** One named type's own schema, as its file holds it (references to other named types by name). */
export function namedSchema(name: string): { [key: string]: unknown } {
  const short = name.startsWith(NAMESPACE + ".") ? name.slice(NAMESPACE.length + 1) : name;
  let schema = loaded.get(short);
  if (schema === undefined) {
    const file = FILES[short];
    if (file === undefined) {
      throw new Error(`no schema shipped for ${name}`);
    }
    schema = JSON.parse(readFileSync(new URL(`../avro/${file}`, import.meta.url), "utf8")) as {
      [key: string]: unknown;
    };
    loaded.set(short, schema);
  }
  return schema;
}

/** Whether a type reference names a named type (rather than a primitive). */
export function isNamedReference(schema: AvroSchema): schema is string {
  return typeof schema === "string" && !PRIMITIVES.has(schema);
}

/**
 * The whole schema of a named type, each named type it uses defined in place at its first use, as Avro's parser
 * (and the registry) takes a schema: what the Java classes' `getClassSchema()` renders.
 */
export function fullSchema(name: string): AvroSchema {
  return inline(name, new Set(), false);
}

/**
 * The whole schema as the Java clients register it under a topic's subject: their classes are generated with
 * `<stringType>String</stringType>`, which marks every string `{"type": "string", "avro.java.string": "String"}`,
 * and the registry tells schemas apart by their text with such properties, so only this form gets the id the Java
 * clients use rather than a version of its own.
 */
export function registeredSchema(name: string): AvroSchema {
  return inline(name, new Set(), true);
}

function inline(schema: AvroSchema, defined: Set<string>, javaStrings: boolean): AvroSchema {
  if (schema === "string" && javaStrings) {
    return { type: "string", "avro.java.string": "String" };
  }
  if (isNamedReference(schema)) {
    const short = schema.startsWith(NAMESPACE + ".") ? schema.slice(NAMESPACE.length + 1) : schema;
    if (defined.has(short)) {
      return `${NAMESPACE}.${short}`;
    }
    defined.add(short);
    return inline(namedSchema(short), defined, javaStrings);
  }
  if (typeof schema === "string") {
    return schema;
  }
  if (Array.isArray(schema)) {
    return schema.map((branch) => inline(branch, defined, javaStrings));
  }
  const copy: { [key: string]: unknown } = { ...schema };
  if (schema.type === "record" && Array.isArray(schema.fields)) {
    copy.fields = (schema.fields as { [key: string]: unknown }[]).map((field) => ({
      ...field,
      type: inline(field.type as AvroSchema, defined, javaStrings),
    }));
  } else if (schema.type === "array") {
    copy.items = inline(schema.items as AvroSchema, defined, javaStrings);
  } else if (schema.type === "map") {
    copy.values = inline(schema.values as AvroSchema, defined, javaStrings);
  }
  return copy;
}
