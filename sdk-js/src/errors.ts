/** A failure the caller can act on (no such holder, Kafka or the registry away, a record too large): one line. */
export class IdstreamError extends Error {
  override readonly name = "IdstreamError";
}
