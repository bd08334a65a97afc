/**
 * The requests a consumer sent, and those a delivery that passed every check answered, with where that delivery was
 * read (docs/protocol.md section 8): a delivery answering no request of the consumer's, answering it with what it did
 * not ask (another holder, purpose, credential or field, or to another consumer), or a request another record already
 * answered, is refused. Held in memory; given a state directory, also kept in `<stateDir>/<consumerId>/requests` in
 * the line format of Java's `RequestLedger` (`sent <requestId> <holderId> <credentialType> <credentialId> <purpose>
 * <field>,<field>…`, each part URL-encoded as Java's URLEncoder does, `-` when empty; `sent <requestId>` alone takes
 * an answer from any holder; `answered <requestId> <topic>/<partition>/<offset>`), read again before each judgement,
 * so that a Java CLI and a Node process of one consumer share it. Judgements are synchronous, so that two answers to
 * one request cannot both be taken in between.
 */
import type { DeliveryOutcome, Notice, RecordPosition, Refused } from "./outcome.js";
import type { AccessRequest, DeliveryEvent, NoticeKind } from "./records.js";
import { requirePrincipalId } from "./identifiers.js";
import { LedgerError, LedgerFile } from "./ledger-file.js";

export { LedgerError } from "./ledger-file.js";

/** What a request asked, as the ledger compares an answer with it. */
export interface AskedTerms {
  holderId: string;
  credentialType: string;
  credentialId: string;
  purpose: string;
  fields: readonly string[];
}

/** A request known only by its id: any holder, purpose, credential and fields, to this consumer. */
const ANY = null;
type Asked = { holderId: string; credentialType: string; credentialId: string; purpose: string; fields: Set<string> };

/** A request id as the ledger takes one: a UUID, so that no id can add a line of its own to the file. */
const REQUEST_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The notices, signed by the holder, that end access: taken only about a request sent to that holder. */
const HOLDER_NOTICES: ReadonlySet<NoticeKind> = new Set<NoticeKind>(["DENIED", "REVOKED", "ERASED"]);

export class RequestLedger {
  private readonly file: LedgerFile | undefined;
  private readonly requests = new Map<string, Asked | typeof ANY>();
  /** Answered request ids, each with the position of the record that answered it ("" when not known). */
  private readonly answered = new Map<string, string>();

  /** The ledger of `consumerId`'s requests; kept in `stateDir` when given, else for as long as this object lives. */
  constructor(readonly consumerId: string, stateDir?: string) {
    requirePrincipalId("consumer id", consumerId);
    this.file = stateDir === undefined ? undefined : LedgerFile.open(stateDir, consumerId);
    this.readNewLines();
  }

  /** Remembers a request this consumer is about to send, before it is sent, so that a quick answer is expected. */
  sent(request: AccessRequest): void {
    this.expect(request.requestId, request);
  }

  /**
   * Remembers a request this consumer signed elsewhere; with `asked`, an answer must match it, without, it may come
   * from any holder, for any purpose, credential and fields (to this consumer), which gives up those comparisons.
   */
  expect(requestId: string, asked?: AskedTerms): void {
    if (typeof requestId !== "string" || !REQUEST_ID.test(requestId)) {
      throw new LedgerError(`a request id is a UUID, not '${String(requestId).slice(0, 80)}'`);
    }
    if (asked === undefined) {
      this.file?.append(`sent ${requestId}`);
      this.requests.set(requestId, ANY);
      return;
    }
    const fields = [...new Set(asked.fields)].sort();
    this.file?.append(["sent", requestId, encode(asked.holderId), encode(asked.credentialType),
      encode(asked.credentialId), encode(asked.purpose), fields.length === 0 ? "-" : fields.map(encode).join(",")]
      .join(" "));
    this.requests.set(requestId, { holderId: asked.holderId, credentialType: asked.credentialType,
      credentialId: asked.credentialId, purpose: asked.purpose, fields: new Set(fields) });
  }

  /**
   * The outcome of `event`, read at `position`, as this consumer takes it: a delivery that passed every other check
   * is refused UNSOLICITED unless it answers a request this consumer sent, with what that request asked, and
   * REPEATED when another record already answered the request (the record that answered, read again at its
   * position, is the same answer); the first answer is recorded. A holder's DENIED, REVOKED or ERASED notice about a
   * request is refused unless the request was sent, to that holder. Any other outcome is returned as it is.
   */
  judge(event: DeliveryEvent, outcome: DeliveryOutcome, position?: RecordPosition): DeliveryOutcome {
    if (outcome.kind === "notice") {
      return this.notice(outcome);
    }
    if (outcome.kind !== "delivered") {
      return outcome;
    }
    const requestId = outcome.requestId;
    checkPosition(position);
    this.readNewLines();
    if (!this.requests.has(requestId)) {
      return refused(requestId, "UNSOLICITED", `request ${requestId} is not one this consumer sent`);
    }
    const mismatch = this.mismatch(this.requests.get(requestId) ?? ANY, event);
    if (mismatch !== undefined) {
      return refused(requestId, "UNSOLICITED", `the delivery does not answer request ${requestId}: ${mismatch}`);
    }
    const at = position === undefined ? "" : `${position.topic}/${position.partition}/${position.offset}`;
    const answeredBy = this.answered.get(requestId);
    if (answeredBy === undefined) {
      // Recorded as it is judged, not reserved until the caller took it (docs/protocol.md section 8): the same
      // answer either way. A record's offset is committed only once its outcome reached the caller (Subscription),
      // and a webhook id counts as accepted only once it was stored, so a record judged here whose outcome never
      // reached the caller is read (or POSTed) again at this same position, which is the same answer, before any
      // later record of its partition; one at another position is REPEATED, as while Java holds the reservation.
      // Only a record never read again (its group's offsets moved past it, or the topic no longer holds it) leaves
      // its request answered without the caller having seen it, where Java would take the next answer.
      this.file?.append(at === "" ? `answered ${requestId}` : `answered ${requestId} ${at}`);
      this.answered.set(requestId, at);
      return outcome;
    }
    if (at !== "" && at === answeredBy) {
      return outcome;
    }
    return refused(requestId, "REPEATED", `request ${requestId} was already answered`
      + (answeredBy === "" ? "" : ` by the delivery at ${answeredBy}`));
  }

  /** How the delivery differs from what the request asked, or undefined when it answers it. */
  private mismatch(request: Asked | typeof ANY, delivered: DeliveryEvent): string | undefined {
    const event = delivered.record === "CredentialDelivery" ? delivered : undefined;
    if (event === undefined) {
      return "it carries nothing to compare with the request";
    }
    if (event.consumerId !== this.consumerId) {
      return `it is addressed to '${event.consumerId}', not to this consumer '${this.consumerId}'`;
    }
    if (request === ANY) {
      return undefined;
    }
    if (event.holderId !== request.holderId) {
      return `it is from holder '${event.holderId}', the request was sent to '${request.holderId}'`;
    }
    if (event.grant.purpose !== request.purpose) {
      return `its grant is for the purpose '${event.grant.purpose}', the request's is '${request.purpose}'`;
    }
    if (request.credentialType !== "" && event.type !== request.credentialType) {
      return `it carries a credential of type '${event.type}', the request asked for '${request.credentialType}'`;
    }
    if (request.credentialId !== "" && event.credentialId !== request.credentialId) {
      return `it carries credential '${event.credentialId}', the request asked for '${request.credentialId}'`;
    }
    const unasked = event.disclosed.map((f) => f.name).filter((name) => !request.fields.has(name)).sort();
    if (unasked.length > 0) {
      return `it discloses fields [${unasked.join(", ")}] the request did not ask for`;
    }
    return undefined;
  }

  private notice(notice: Notice): DeliveryOutcome {
    const requestId = notice.requestId;
    if (requestId === "" || !HOLDER_NOTICES.has(notice.notice)) {
      // About a grant or a credential, or not signed by the holder: only what ConsumerTrust checks applies.
      return notice;
    }
    this.readNewLines();
    if (!this.requests.has(requestId)) {
      return refused(requestId, "UNSOLICITED", `${notice.notice} notice about request ${requestId}, which is not one `
        + "this consumer sent");
    }
    const request = this.requests.get(requestId) ?? ANY;
    if (request !== ANY && request.holderId !== notice.holderId) {
      return refused(requestId, "NOTICE_STATEMENT", `${notice.notice} notice about request ${requestId} is from `
        + `holder '${notice.holderId}', the request was sent to '${request.holderId}'`);
    }
    return notice;
  }

  /** Takes in the lines another process (or an earlier run) appended since the last read. */
  private readNewLines(): void {
    for (const line of this.file?.readNewLines() ?? []) {
      if (line.startsWith("sent ")) {
        const parts = splitLikeJava(line.substring("sent ".length));
        const requestId = parts[0] ?? "";
        if (this.requests.has(requestId)) {
          continue;
        }
        try {
          this.requests.set(requestId, parts.length < 6 ? ANY : { holderId: decode(parts[1]!),
            credentialType: decode(parts[2]!), credentialId: decode(parts[3]!), purpose: decode(parts[4]!),
            fields: new Set(parts[5] === "-" ? [] : parts[5]!.split(",").map(decode)) });
        } catch {
          // A part that does not decode: the line is no request, and an answer to it is unsolicited.
        }
      } else if (line.startsWith("answered ")) {
        const rest = line.substring("answered ".length);
        const space = rest.indexOf(" ");
        const requestId = space < 0 ? rest : rest.substring(0, space);
        if (!this.answered.has(requestId)) {
          this.answered.set(requestId, space < 0 ? "" : rest.substring(space + 1));
        }
      }
    }
  }
}

/** A Kafka topic name, as a position's topic must be, so that no position can add a line of its own to the file. */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Refuses a position that is not a Kafka topic, partition and offset: it is never written to the ledger. */
function checkPosition(position: RecordPosition | undefined): void {
  if (position === undefined) {
    return;
  }
  if (typeof position.topic !== "string" || !TOPIC.test(position.topic)) {
    throw new LedgerError(`a position's topic is a Kafka topic name, not '${String(position.topic).slice(0, 80)}'`);
  }
  if (!Number.isInteger(position.partition) || position.partition < 0 || position.partition > 0x7fffffff) {
    throw new LedgerError(`a position's partition is an integer from 0 to 2^31-1, not ${String(position.partition)}`);
  }
  if (typeof position.offset !== "string" || !/^[0-9]+$/.test(position.offset)) {
    throw new LedgerError(`a position's offset is decimal digits, not '${String(position.offset).slice(0, 80)}'`);
  }
}

function refused(requestId: string, check: Refused["check"], reason: string): Refused {
  return { kind: "refused", requestId, check, reason };
}

/** Java's `String.split(" ")`: trailing empty parts dropped. */
function splitLikeJava(text: string): string[] {
  const parts = text.split(" ");
  while (parts.length > 0 && parts[parts.length - 1] === "") {
    parts.pop();
  }
  return parts;
}

/** Java's `URLEncoder.encode(part, UTF_8)`, "-" for "" (never an encoded value, so two separators never touch). */
export function encode(part: string): string {
  if (part === "") {
    return "-";
  }
  let out = "";
  for (const byte of new TextEncoder().encode(part)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) {
      out += c;
    } else if (byte === 0x20) {
      out += "+";
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

/** Java's `URLDecoder.decode(part, UTF_8)`, "" for "-"; throws on a malformed escape. */
export function decode(part: string): string {
  if (part === "-") {
    return "";
  }
  const bytes: number[] = [];
  let i = 0;
  while (i < part.length) {
    const c = String.fromCodePoint(part.codePointAt(i)!);
    if (c === "+") {
      bytes.push(0x20);
    } else if (c === "%") {
      const hexDigits = part.substring(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hexDigits)) {
        throw new LedgerError("malformed escape in a ledger line");
      }
      bytes.push(parseInt(hexDigits, 16));
      i += 2;
    } else {
      bytes.push(...new TextEncoder().encode(c));
    }
    i += c.length;
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
