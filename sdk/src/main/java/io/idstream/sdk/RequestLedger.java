package io.idstream.sdk;

import io.idstream.avro.CredentialDelivery;
import io.idstream.avro.DeliveryEvent;
import io.idstream.avro.DisclosedField;
import io.idstream.avro.NoticeKind;
import io.idstream.crypto.DeliveryVerification.Check;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The request ids a consumer sent, and those a delivery that passed every check answered, with where that delivery
 * was read (docs/protocol.md section 8), so that a delivery answering no request of the consumer's, answering it with
 * what it did not ask (another holder, purpose, credential or field), or a request already answered by another
 * record, is refused. Held in memory; given a file, also kept there as lines
 * {@code sent <requestId> <holderId> <credentialType> <credentialId> <purpose> <fields>} (each part URL-encoded, "-"
 * when empty, fields comma-separated; a line {@code sent <requestId>} alone, as older versions wrote, knows only the
 * id) and {@code answered <requestId> [<position>]}, appended (another process of the same consumer may append too),
 * and read again, from where it was last read, before a request's status is told. The file and its directory are
 * the consumer's alone: made 600 and 700, and refused when others may read or write them, or when either is a link.
 * Thread-safe.
 */
final class RequestLedger {
    /** What the ledger knows of a request id. */
    enum Status {
        /** Sent, and not answered yet. */
        OPEN,
        /** Never sent by this consumer, as far as it knows. */
        UNSOLICITED,
        /** Sent, and already answered. */
        ANSWERED
    }

    /**
     * What a request asked: of which holder, the credential type or id (the other is ""), for what purpose, which
     * fields. {@link #ANY} stands for a request known only by its id.
     */
    record Request(String holderId, String credentialType, String credentialId, String purpose, Set<String> fields) {
        /** A request known only by its id (an older ledger line, or {@link ConsumerClient#expect(String)}). */
        static final Request ANY = new Request(null, null, null, null, null);

        Request {
            fields = fields == null ? null : Set.copyOf(fields);
        }
    }

    /** What a delivery's signed records say it answers, as the ledger compares it with the request. */
    record Answer(String consumerId, String holderId, String credentialType, String credentialId, String purpose,
                  Set<String> fields) {
        static Answer of(CredentialDelivery d) {
            return new Answer(d.getConsumerId(), d.getHolderId(), d.getType(), d.getCredentialId(),
                    d.getGrant().getPurpose(), d.getDisclosed().stream().map(DisclosedField::getName)
                    .collect(Collectors.toUnmodifiableSet()));
        }

        /** The answer a delivery event carries, or null for a notice. */
        static Answer of(DeliveryEvent event) {
            return event.getEvent() instanceof CredentialDelivery d ? of(d) : null;
        }
    }

    /** The notices, signed by the holder, that end access: taken only about a request sent to that holder. */
    private static final Set<NoticeKind> HOLDER_NOTICES = Set.of(NoticeKind.DENIED, NoticeKind.REVOKED,
            NoticeKind.ERASED);
    private static final String SENT = "sent ";
    private static final String ANSWERED = "answered ";
    /** A request id as this ledger takes one: a UUID, as {@link ConsumerClient} makes them. */
    private static final Pattern REQUEST_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;
    private final String consumerId;
    /** The requests sent, by id. */
    private final Map<String, Request> sent = new HashMap<>();
    /** Answered request ids, each with the position of the record that answered it ("" when not known). */
    private final Map<String, String> answered = new HashMap<>();
    /**
     * Requests answered by a delivery admitted but not yet recorded (its batch has not reached the caller), with its
     * position: reserved under the lock, so that two threads cannot both admit an answer to one request.
     */
    private final Map<String, String> reserved = new HashMap<>();
    /** How many bytes of the file were read: up to the end of its last whole line. */
    private long readUpTo;

    private RequestLedger(Path file, String consumerId) {
        this.file = file;
        this.consumerId = consumerId;
    }

    /** A ledger of {@code consumerId}'s requests that lives as long as the client. */
    static RequestLedger inMemory(String consumerId) {
        return new RequestLedger(null, consumerId);
    }

    /** A ledger kept in {@code <stateDir>/<consumerId>/requests}, read now. */
    static RequestLedger in(Path stateDir, String consumerId) {
        Path file = stateDir.resolve(consumerId).resolve("requests");
        try {
            Path dir = file.getParent();
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    // Made by another process of this consumer at the same time: checked below.
                }
            }
            checkPrivate(dir, "directory");
            try {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // Kept from an earlier run, or made by another process of this consumer: read below.
            }
            checkPrivate(file, "file");
        } catch (IOException e) {
            throw new IdstreamException("cannot keep the request ids of '" + consumerId + "' in " + file + ": "
                    + e.getMessage(), e);
        }
        RequestLedger ledger = new RequestLedger(file, consumerId);
        synchronized (ledger) {
            ledger.readNewLines();
        }
        return ledger;
    }

    /**
     * Refuses a ledger file or directory that is a link, or that the group or others may read or write: whoever may
     * write it could add a request, so that a forged answer to it is taken.
     */
    private static void checkPrivate(Path path, String what) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException("the ledger " + what + " " + path + " is a symbolic link");
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return;
        }
        Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new IOException("the ledger " + what + " " + path + " is "
                    + PosixFilePermissions.toString(attributes.permissions())
                    + ": its group or others may read or change it");
        }
    }

    /**
     * Remembers a request this consumer is about to send, or was told it sent elsewhere. The id must be a UUID, as
     * this client makes them, so that no id can add a line of its own to the ledger file.
     */
    synchronized void sent(String requestId, Request request) {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new IdstreamException("a request id is a UUID, not '" + requestId + "'");
        }
        append(SENT, request == Request.ANY ? requestId : String.join(" ", requestId, encode(request.holderId()),
                encode(request.credentialType()), encode(request.credentialId()), encode(request.purpose()),
                request.fields().isEmpty() ? "-" : String.join(",", request.fields().stream().sorted()
                        .map(RequestLedger::encode).toList())));
        sent.put(requestId, request);
    }

    private static String encode(String part) {
        // "" would leave two separators side by side, which split reads as one: "-" is never a URL-encoded value.
        return part.isEmpty() ? "-" : URLEncoder.encode(part, StandardCharsets.UTF_8);
    }

    private static String decode(String part) {
        return part.equals("-") ? "" : URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    synchronized Status status(String requestId) {
        // Another process of this consumer may have sent or answered it since: a length check when nothing is new.
        readNewLines();
        if (!sent.containsKey(requestId)) {
            return Status.UNSOLICITED;
        }
        return answered.containsKey(requestId) ? Status.ANSWERED : Status.OPEN;
    }

    /**
     * A delivery that passed every other check, read at {@code position} (topic/partition/offset, or "" when not
     * known), refused unless it answers a request this consumer sent, with what the request asked ({@code answer}:
     * the same holder, purpose and credential type or id, only fields asked for, to this consumer), and that no other
     * record answered, recorded or reserved; if it is the first answer, its request is reserved and its id and
     * position added to {@code answeredNow}, for the caller to record with {@link #answered} once the outcome reaches
     * its caller, or to {@link #release} if it never does. The record that answered a request, read again at its
     * position (a subscription reading its topic again from the start), is the same answer, not a repeat. A holder's
     * DENIED, REVOKED or ERASED notice about a request is refused unless the request was sent, to that holder. Any
     * other outcome is returned as it is.
     */
    synchronized DeliveryOutcome admit(DeliveryOutcome outcome, Answer answer, String position,
                                       Map<String, String> answeredNow) {
        if (outcome instanceof DeliveryOutcome.Notice notice) {
            return notice(notice);
        }
        if (!(outcome instanceof DeliveryOutcome.Delivered delivered)) {
            return outcome;
        }
        String requestId = delivered.requestId();
        Status status = status(requestId);
        if (status == Status.UNSOLICITED) {
            return new DeliveryOutcome.Refused(requestId, Check.UNSOLICITED, "request " + requestId
                    + " is not one this consumer sent");
        }
        String mismatch = mismatch(sent.get(requestId), answer);
        if (mismatch != null) {
            return new DeliveryOutcome.Refused(requestId, Check.UNSOLICITED, "the delivery does not answer request "
                    + requestId + ": " + mismatch);
        }
        String answeredBy = status == Status.ANSWERED ? answered.get(requestId) : reserved.get(requestId);
        if (answeredBy == null) {
            reserved.put(requestId, position);
            answeredNow.put(requestId, position);
            return outcome;
        }
        if (!position.isEmpty() && position.equals(answeredBy)) {
            return outcome;
        }
        return new DeliveryOutcome.Refused(requestId, Check.REPEATED, "request " + requestId
                + " was already answered" + (answeredBy.isEmpty() ? "" : " by the delivery at " + answeredBy));
    }

    /** How the delivery differs from what the request asked, or null when it answers it. */
    private String mismatch(Request request, Answer answer) {
        if (answer == null) {
            return "it carries nothing to compare with the request";
        }
        if (!answer.consumerId().equals(consumerId)) {
            return "it is addressed to '" + answer.consumerId() + "', not to this consumer '" + consumerId + "'";
        }
        if (request == Request.ANY) {
            return null;
        }
        if (!answer.holderId().equals(request.holderId())) {
            return "it is from holder '" + answer.holderId() + "', the request was sent to '" + request.holderId()
                    + "'";
        }
        if (!answer.purpose().equals(request.purpose())) {
            return "its grant is for the purpose '" + answer.purpose() + "', the request's is '" + request.purpose()
                    + "'";
        }
        if (!request.credentialType().isEmpty() && !answer.credentialType().equals(request.credentialType())) {
            return "it carries a credential of type '" + answer.credentialType() + "', the request asked for '"
                    + request.credentialType() + "'";
        }
        if (!request.credentialId().isEmpty() && !answer.credentialId().equals(request.credentialId())) {
            return "it carries credential '" + answer.credentialId() + "', the request asked for '"
                    + request.credentialId() + "'";
        }
        if (!request.fields().containsAll(answer.fields())) {
            return "it discloses fields " + answer.fields().stream().filter(f -> !request.fields().contains(f))
                    .sorted().toList() + " the request did not ask for";
        }
        return null;
    }

    private DeliveryOutcome notice(DeliveryOutcome.Notice notice) {
        String requestId = notice.requestId();
        if (requestId.isEmpty() || !HOLDER_NOTICES.contains(notice.kind())) {
            // About a grant or a credential, or not signed by the holder: only what ConsumerTrust checks applies.
            return notice;
        }
        if (status(requestId) == Status.UNSOLICITED) {
            return new DeliveryOutcome.Refused(requestId, Check.UNSOLICITED, notice.kind() + " notice about request "
                    + requestId + ", which is not one this consumer sent");
        }
        Request request = sent.get(requestId);
        if (request != Request.ANY && !request.holderId().equals(notice.holderId())) {
            return new DeliveryOutcome.Refused(requestId, Check.NOTICE_STATEMENT, notice.kind()
                    + " notice about request " + requestId + " is from holder '" + notice.holderId()
                    + "', the request was sent to '" + request.holderId() + "'");
        }
        return notice;
    }

    /** Remembers that deliveries that passed every check answered these requests, read at these positions. */
    synchronized void answered(Map<String, String> positions) {
        positions.forEach((requestId, position) -> {
            append(ANSWERED, position.isEmpty() ? requestId : requestId + " " + position);
            answered.put(requestId, position);
            reserved.remove(requestId);
        });
    }

    /** Gives back the reservations of answers whose outcomes never reached the caller (a batch thrown away). */
    synchronized void release(Map<String, String> positions) {
        positions.keySet().forEach(reserved::remove);
    }

    private void append(String kind, String entry) {
        if (file == null) {
            return;
        }
        try {
            // One short write with O_APPEND, so that lines appended by two processes do not interleave.
            Files.write(file, (kind + entry + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IdstreamException("cannot record '" + kind + entry + "' in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the lines appended since the last read; a line still being written is read next time. */
    private void readNewLines() {
        if (file == null) {
            return;
        }
        byte[] added;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= readUpTo) {
                return;
            }
            added = new byte[Math.toIntExact(length - readUpTo)];
            in.seek(readUpTo);
            in.readFully(added);
        } catch (IOException e) {
            throw new IdstreamException("cannot read the request ids in " + file + ": " + e.getMessage(), e);
        }
        int lineStart = 0;
        for (int i = 0; i < added.length; i++) {
            if (added[i] != '\n') {
                continue;
            }
            String line = new String(added, lineStart, i - lineStart, StandardCharsets.UTF_8);
            if (line.startsWith(SENT)) {
                String[] parts = line.substring(SENT.length()).split(" ");
                sent.putIfAbsent(parts[0], parts.length < 6 ? Request.ANY : new Request(decode(parts[1]),
                        decode(parts[2]), decode(parts[3]), decode(parts[4]), parts[5].equals("-") ? Set.of()
                        : Arrays.stream(parts[5].split(",")).map(RequestLedger::decode).collect(Collectors.toSet())));
            } else if (line.startsWith(ANSWERED)) {
                String[] answer = line.substring(ANSWERED.length()).split(" ", 2);
                answered.putIfAbsent(answer[0], answer.length == 2 ? answer[1] : "");
            }
            lineStart = i + 1;
        }
        readUpTo += lineStart;
    }
}
