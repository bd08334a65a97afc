import { IdstreamError } from "./errors.js";

/** The Kafka error codes of an error and of the errors that caused it (kafkajs wraps a broker's refusal). */
export function errorTypes(error: unknown): string[] {
  const types: string[] = [];
  const seen = new Set<unknown>();
  const visit = (current: unknown): void => {
    if (typeof current !== "object" || current === null || seen.has(current)) {
      return;
    }
    seen.add(current);
    const record = current as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
    if (typeof record.type === "string") {
      types.push(record.type);
    }
    visit(record.cause);
    visit(record.originalError);
    if (Array.isArray(record.errors)) {
      record.errors.forEach(visit);
    }
  };
  visit(error);
  return types;
}

/**
 * A Kafka failure as one line the caller can act on: `what`, the reason, and `aclHint` only where the broker refused
 * for authorization (a timeout or a failed login has other causes).
 */
export function kafkaFailure(what: string, error: unknown, aclHint: string): IdstreamError {
  if (error instanceof IdstreamError) {
    return error;
  }
  const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  const authorization = errorTypes(error).some((type) => type.endsWith("_AUTHORIZATION_FAILED"));
  return new IdstreamError(`${what}: ${reason}${authorization ? ` ${aclHint}` : ""}`);
}
