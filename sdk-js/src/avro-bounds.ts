/**
 * Walks an Avro binary body over its writer schema before avsc decodes it, refusing a body whose counts or lengths
 * claim more than the bytes hold. avsc builds as many array items as a block count says, even past the end of the
 * buffer, so a 19-byte record claiming 3e8 items would exhaust the heap; this walk allocates nothing and takes time
 * linear in the body's length, so a refused record costs no more than reading its bytes.
 */

/** The shape of an avsc `Type` this walk reads (avsc's own typings are not a dependency of this package). */
export interface WriterType {
  readonly typeName: string;
  readonly fields?: readonly { readonly type: WriterType }[];
  readonly types?: readonly WriterType[];
  readonly itemsType?: WriterType;
  readonly valuesType?: WriterType;
  readonly underlyingType?: WriterType;
  readonly size?: number;
  readonly symbols?: readonly string[];
}

class Refusal extends Error {}

class Walk {
  private position = 0;
  /** Array and map items left to read: no body has more items than bytes unless its items take no bytes at all. */
  private itemBudget: number;

  constructor(private readonly body: Buffer) {
    this.itemBudget = body.length;
  }

  /** The reason the body does not fit the schema, or undefined when every count and length fits in its bytes. */
  check(type: WriterType): string | undefined {
    try {
      this.value(type);
      return undefined;
    } catch (error) {
      if (error instanceof Refusal) {
        return error.message;
      }
      if (error instanceof RangeError) {
        return "nests deeper than can be read";
      }
      throw error;
    }
  }

  private left(): number {
    return this.body.length - this.position;
  }

  /** Steps over `bytes` bytes of a value that starts at byte `at` (where its length is, if it has one). */
  private take(bytes: number, what: string, at = this.position): void {
    if (bytes > this.left()) {
      throw new Refusal(`claims ${what} of ${bytes} bytes at byte ${at} with ${this.left()} bytes left`);
    }
    this.position += bytes;
  }

  /** A zig-zag varint of at most `maxBytes` bytes (5 for an int, 10 for a long); exact below 2^53. */
  private varint(maxBytes: number): number {
    const start = this.position;
    let magnitude = 0;
    let scale = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (this.position >= this.body.length) {
        throw new Refusal(`ends inside a number at byte ${start}`);
      }
      const byte = this.body[this.position++] as number;
      magnitude += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) {
        if (i === maxBytes - 1 && byte > (maxBytes === 5 ? 0x0f : 0x01)) {
          throw new Refusal(`holds a number too large for its type at byte ${start}`);
        }
        return magnitude % 2 === 0 ? magnitude / 2 : -(magnitude + 1) / 2;
      }
    }
    throw new Refusal(`holds a number longer than ${maxBytes} bytes at byte ${start}`);
  }

  /** A string's or bytes' length and the bytes it counts. */
  private counted(what: string): void {
    const at = this.position;
    this.take(this.length(what), what, at);
  }

  private length(what: string): number {
    const at = this.position;
    const length = this.varint(10);
    if (length < 0) {
      throw new Refusal(`claims a negative length for ${what} at byte ${at}`);
    }
    return length;
  }

  private value(type: WriterType): void {
    const name = type.typeName;
    switch (name) {
      case "null":
        return;
      case "boolean":
        return this.take(1, "a boolean");
      case "int":
        this.varint(5);
        return;
      case "long":
        this.varint(10);
        return;
      case "float":
        return this.take(4, "a float");
      case "double":
        return this.take(8, "a double");
      case "bytes":
      case "string":
        return this.counted(`a ${name}`);
      case "fixed":
        return this.take(type.size ?? 0, "a fixed");
      case "enum":
        return this.index(type.symbols?.length ?? 0, 5, "enum symbol");
      case "record":
      case "error":
        for (const field of type.fields ?? []) {
          this.value(field.type);
        }
        return;
      case "array":
        return this.blocks(() => this.value(type.itemsType as WriterType));
      case "map":
        return this.blocks(() => {
          this.counted("a map key");
          this.value(type.valuesType as WriterType);
        });
      default:
        if (name.startsWith("union")) {
          const types = type.types ?? [];
          const at = this.position;
          const index = this.varint(10);
          if (index < 0 || index >= types.length) {
            throw new Refusal(`names union branch ${index} of ${types.length} at byte ${at}`);
          }
          return this.value(types[index] as WriterType);
        }
        if (name.startsWith("logical") && type.underlyingType !== undefined) {
          return this.value(type.underlyingType);
        }
        throw new Refusal(`has a writer schema of type ${name}, which this reader does not know`);
    }
  }

  private index(count: number, maxBytes: number, what: string): void {
    const at = this.position;
    const index = this.varint(maxBytes);
    if (index < 0 || index >= count) {
      throw new Refusal(`names ${what} ${index} of ${count} at byte ${at}`);
    }
  }

  /**
   * Array or map blocks (Avro specification, "Complex Types"): a count, zero ending them; a negative count is
   * followed by the block's size in bytes and means as many items as its absolute value.
   */
  private blocks(item: () => void): void {
    for (;;) {
      const at = this.position;
      let count = this.varint(10);
      if (count === 0) {
        return;
      }
      if (count < 0) {
        count = -count;
        const size = this.length("a block");
        if (size > this.left()) {
          throw new Refusal(`claims a block of ${size} bytes at byte ${at} with ${this.left()} bytes left`);
        }
      }
      if (count > this.left() || count > this.itemBudget) {
        throw new Refusal(`claims ${count} items at byte ${at} with ${this.left()} bytes left`);
      }
      this.itemBudget -= count;
      for (let i = 0; i < count; i++) {
        item();
      }
    }
  }
}

/** Why `body` cannot be a value of `writer`, or undefined when its counts and lengths fit in its bytes. */
export function boundsRefusal(writer: WriterType, body: Buffer): string | undefined {
  return new Walk(body).check(writer);
}
