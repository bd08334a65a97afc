import type { Agent } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { type DecodeOptions, SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { RecordShapeError, accessRequestToAvro, deliveryEventFrom, verifiedPrincipalFrom } from "./avro.js";
import type { AccessRequest, DeliveryEvent, VerifiedPrincipal } from "./records.js";
import { type WriterType, boundsRefusal } from "./avro-bounds.js";
import { type AvroSchema, fullSchema, registeredSchema } from "./schemas.js";

/** Where the Confluent-API Schema Registry is, and how to log in to it. */
export interface RegistryOptions {
  /** Its base URL, such as `http://127.0.0.1:8081`. */
  url: string;
  /** HTTP basic authentication, as `basic.auth.user.info` gives it to the Java clients. */
  username?: string;
  password?: string;
  /** An HTTP(S) agent, for an `https://` registry whose certificate needs a CA of your own. */
  agent?: Agent;
}

/** The registry could not be asked: the record may be fine, so the read fails rather than skipping it. */
export class RegistryUnavailableError extends Error {}

/** What a value's bytes decode to, or why they do not (then the record is skipped, docs/protocol.md section 9). */
export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAGIC_BYTE = 0;

type ReaderSchema = NonNullable<NonNullable<DecodeOptions[SchemaType.AVRO]>["readerSchema"]>;

/**
 * Values in the Confluent wire format (docs/protocol.md section 9): byte 0, the 4-byte schema id, the Avro body.
 * Reading resolves the writer's schema by its id and reads it into the shipped reader schema, as the Java
 * deserializer reads into its generated class; writing registers the shipped schema, in the form the Java classes
 * render it (`registeredSchema`), under `<topic>-value` (a registry that already holds it answers its id, and on a
 * secure platform a reader may only get that answer), as the Java serializer does with `auto.register.schemas` on.
 *
 * Before a body is decoded its counts and lengths are checked against the writer's schema (`boundsRefusal`), so a
 * record claiming more items or bytes than it holds is skipped, not built. A `long` whose value is beyond 2^53 (a
 * JavaScript number's exact range) does not decode either: such a record is skipped as one that does not decode,
 * where the Java consumer would read it; every time the protocol writes (milliseconds, counts) is far below 2^53.
 */
export class RecordCodec {
  private readonly registry: SchemaRegistry;
  private readonly ids = new Map<string, Promise<number>>();
  private readonly readers = new Map<string, AvroSchema>();
  /** The registry's URL without its user info, for messages: a password in the URL must not reach a log. */
  private readonly shownUrl: string;

  constructor(private readonly options: RegistryOptions) {
    this.registry = new SchemaRegistry({
      host: options.url.replace(/\/+$/, ""),
      ...(options.username !== undefined
        ? { auth: { username: options.username, password: options.password ?? "" } } : {}),
      ...(options.agent !== undefined ? { agent: options.agent } : {}),
      retry: { retries: 1 },
    });
    this.shownUrl = withoutUserInfo(options.url);
  }

  decodeDeliveryEvent(bytes: Buffer): Promise<Decoded<DeliveryEvent>> {
    return this.decode(bytes, "DeliveryEvent", (value) => deliveryEventFrom(value, "avro"));
  }

  decodeVerifiedPrincipal(bytes: Buffer): Promise<Decoded<VerifiedPrincipal>> {
    return this.decode(bytes, "VerifiedPrincipal", (value) => verifiedPrincipalFrom(value, "avro"));
  }

  /** The request's value for `topic`, in the wire format, under the id the registry gives its schema there. */
  async encodeAccessRequest(topic: string, request: AccessRequest): Promise<Buffer> {
    const id = await this.schemaId(`${topic}-value`, "AccessRequest");
    return this.registry.encode(id, accessRequestToAvro(request));
  }

  private async decode<T>(bytes: Buffer, readerName: string, map: (value: unknown) => T): Promise<Decoded<T>> {
    if (bytes.length < 5 || bytes[0] !== MAGIC_BYTE) {
      return { ok: false, reason: "is not in the Confluent wire format" };
    }
    const schemaId = bytes.readInt32BE(1);
    const writer = await this.writerSchema(schemaId);
    if (writer === undefined) {
      return { ok: false, reason: `names schema id ${schemaId}, which the registry does not have` };
    }
    const refusal = boundsRefusal(writer, bytes.subarray(5));
    if (refusal !== undefined) {
      return { ok: false, reason: `with schema id ${schemaId} does not decode as ${readerName}: its Avro body `
        + refusal };
    }
    let value: unknown;
    try {
      const readerSchema = this.reader(readerName) as unknown as ReaderSchema;
      const options: DecodeOptions = { [SchemaType.AVRO]: { readerSchema } };
      value = await this.registry.decode(bytes, options);
    } catch (error) {
      return { ok: false, reason: `with schema id ${schemaId} does not decode as ${readerName}: `
        + `${error instanceof Error ? error.message : String(error)}` };
    }
    try {
      return { ok: true, value: map(value) };
    } catch (error) {
      if (error instanceof RecordShapeError) {
        return { ok: false, reason: `with schema id ${schemaId} does not decode as ${readerName}: ${error.message}` };
      }
      throw error;
    }
  }

  /**
   * The writer's schema of `schemaId`, or undefined when the registry answers 404 (the id is unknown: the record is
   * skipped). Every other failure throws `RegistryUnavailableError` so that the read fails and is tried again: a
   * transport failure, a 5xx, 408 or 429, and a 2xx whose body is not an Avro schema (a proxy's page) may pass, and
   * a genuine record must not be skipped for them. A 401, 403 or other 4xx is treated the same way, as the Java
   * `SpecificAvroDeserializer` treats every `SchemaRegistryClient` failure but 404: wrong or missing credentials are
   * the reader's fault, to be fixed, not the record's, so its records are not skipped for good.
   */
  private async writerSchema(schemaId: number): Promise<WriterType | undefined> {
    let schema: unknown;
    try {
      schema = await this.registry.getSchema(schemaId);
    } catch (error) {
      if (statusOf(error) === 404) {
        return undefined;
      }
      throw new RegistryUnavailableError(`cannot read schema id ${schemaId} from the registry at ${this.shownUrl}: `
        + scrub(error instanceof Error ? error.message : String(error)));
    }
    if (!isAvroType(schema)) {
      throw new RegistryUnavailableError(`cannot read schema id ${schemaId} from the registry at ${this.shownUrl}: `
        + "its answer is not an Avro schema");
    }
    return schema;
  }

  private reader(name: string): AvroSchema {
    let schema = this.readers.get(name);
    if (schema === undefined) {
      schema = fullSchema(name);
      this.readers.set(name, schema);
    }
    return schema;
  }

  private schemaId(subject: string, name: string): Promise<number> {
    let id = this.ids.get(subject);
    if (id === undefined) {
      id = this.register(subject, JSON.stringify(registeredSchema(name)));
      // A failure is not remembered: the next write asks again.
      id.catch(() => this.ids.delete(subject));
      this.ids.set(subject, id);
    }
    return id;
  }

  /** `POST /subjects/<subject>/versions`: registers the schema, or answers the id of the same schema there. */
  private register(subject: string, schema: string): Promise<number> {
    const url = new URL(`${this.options.url.replace(/\/+$/, "")}/subjects/${encodeURIComponent(subject)}/versions`);
    const body = JSON.stringify({ schema });
    const headers: Record<string, string> = {
      "Content-Type": "application/vnd.schemaregistry.v1+json",
      "Content-Length": String(Buffer.byteLength(body)),
    };
    if (this.options.username !== undefined) {
      headers.Authorization = "Basic " + Buffer.from(`${this.options.username}:${this.options.password ?? ""}`)
        .toString("base64");
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const agent = this.options.agent !== undefined ? { agent: this.options.agent } : {};
      const request = send(url, { method: "POST", headers, ...agent },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () => {
            const answer = parse(text);
            if (response.statusCode === 200 && typeof answer?.id === "number") {
              resolve(answer.id);
            } else {
              reject(new Error(`cannot get a schema id for ${subject} from the registry at ${this.shownUrl}: `
                + `HTTP ${response.statusCode ?? "?"} ${typeof answer?.message === "string" ? answer.message : text}`));
            }
          });
        });
      request.on("error", (error) => reject(new RegistryUnavailableError(`cannot get a schema id for ${subject} `
        + `from the registry at ${this.shownUrl}: ${scrub(error.message)}`)));
      request.end(body);
    });
  }
}

function parse(text: string): { id?: unknown; message?: unknown } | undefined {
  try {
    return JSON.parse(text) as { id?: unknown; message?: unknown };
  } catch {
    return undefined;
  }
}

function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "status" in error ? Number(error.status) : undefined;
}

function isAvroType(schema: unknown): schema is WriterType {
  return typeof schema === "object" && schema !== null && "typeName" in schema && typeof schema.typeName === "string"
    && "toBuffer" in schema;
}

/** A message with any `//user:password@` in it cut out. */
function scrub(message: string): string {
  return message.replace(/\/\/[^/@\s]*@/g, "//");
}

/** `url` with any `user:password@` removed; a URL that does not parse is shown as its scheme and host part only. */
export function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/+$/, "");
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
}
