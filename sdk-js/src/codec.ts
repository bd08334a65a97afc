import type { Agent } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { type DecodeOptions, SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { RecordShapeError, accessRequestToAvro, deliveryEventFrom, verifiedPrincipalFrom } from "./avro.js";
import type { AccessRequest, DeliveryEvent, VerifiedPrincipal } from "./records.js";
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
 */
export class RecordCodec {
  private readonly registry: SchemaRegistry;
  private readonly ids = new Map<string, Promise<number>>();
  private readonly readers = new Map<string, AvroSchema>();

  constructor(private readonly options: RegistryOptions) {
    this.registry = new SchemaRegistry({
      host: options.url.replace(/\/+$/, ""),
      ...(options.username !== undefined
        ? { auth: { username: options.username, password: options.password ?? "" } } : {}),
      ...(options.agent !== undefined ? { agent: options.agent } : {}),
      retry: { retries: 1 },
    });
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
    try {
      await this.registry.getSchema(schemaId);
    } catch (error) {
      if (statusOf(error) === 404) {
        return { ok: false, reason: `names schema id ${schemaId}, which the registry does not have` };
      }
      if (error instanceof Error && !("status" in error)) {
        // The writer's schema came back but is no Avro schema a reader can use.
        return { ok: false, reason: `names schema id ${schemaId}, whose schema cannot be read: ${error.message}` };
      }
      throw new RegistryUnavailableError(`cannot read schema id ${schemaId} from the registry at ${this.options.url}: `
        + `${error instanceof Error ? error.message : String(error)}`);
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
              reject(new Error(`cannot get a schema id for ${subject} from the registry at ${this.options.url}: `
                + `HTTP ${response.statusCode ?? "?"} ${typeof answer?.message === "string" ? answer.message : text}`));
            }
          });
        });
      request.on("error", (error) => reject(new RegistryUnavailableError(`cannot get a schema id for ${subject} `
        + `from the registry at ${this.options.url}: ${error.message}`)));
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
