package io.idstream.sdk;

import io.idstream.crypto.DeliveryVerification.Check;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The request ids a consumer sent, and those a delivery that passed every check answered, with where that delivery
 * was read (docs/protocol.md section 8), so that a delivery answering no request of the consumer's, or a request
 * already answered by another record, is refused. Held in memory; given a file, also kept there as lines
 * {@code sent <requestId>} and {@code answered <requestId> [<position>]}, appended (another process of the same
 * consumer may append too), and read again, from where it was last read, before a request's status is told.
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

    private static final String SENT = "sent ";
    private static final String ANSWERED = "answered ";

    private final Path file;
    private final Set<String> sent = new HashSet<>();
    /** Answered request ids, each with the position of the record that answered it ("" when not known). */
    private final Map<String, String> answered = new HashMap<>();
    /** How many bytes of the file were read: up to the end of its last whole line. */
    private long readUpTo;

    private RequestLedger(Path file) {
        this.file = file;
    }

    /** A ledger that lives as long as the client. */
    static RequestLedger inMemory() {
        return new RequestLedger(null);
    }

    /** A ledger kept in {@code <stateDir>/<consumerId>/requests}, read now. */
    static RequestLedger in(Path stateDir, String consumerId) {
        Path file = stateDir.resolve(consumerId).resolve("requests");
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // Kept from an earlier run, or made by another process of this consumer: read below.
        } catch (IOException e) {
            throw new IdstreamException("cannot keep the request ids of '" + consumerId + "' in " + file + ": "
                    + e.getMessage(), e);
        }
        RequestLedger ledger = new RequestLedger(file);
        synchronized (ledger) {
            ledger.readNewLines();
        }
        return ledger;
    }

    /** Remembers a request id this consumer is about to send, or was told it sent elsewhere. */
    synchronized void sent(String requestId) {
        append(SENT, requestId);
        sent.add(requestId);
    }

    synchronized Status status(String requestId) {
        // Another process of this consumer may have sent or answered it since: a length check when nothing is new.
        readNewLines();
        if (!sent.contains(requestId)) {
            return Status.UNSOLICITED;
        }
        return answered.containsKey(requestId) ? Status.ANSWERED : Status.OPEN;
    }

    /**
     * A delivery that passed every other check, read at {@code position} (topic/partition/offset, or "" when not
     * known), refused unless it answers a request this consumer sent and that no other record answered, before or
     * in {@code answeredNow}; if it is the first answer, its request id and position are added to {@code answeredNow},
     * for the caller to record with {@link #answered} once the outcome reaches its caller. The record that answered a
     * request, read again at its position (a subscription reading its topic again from the start), is the same
     * answer, not a repeat. Any other outcome is returned as it is.
     */
    synchronized DeliveryOutcome admit(DeliveryOutcome outcome, String position, Map<String, String> answeredNow) {
        if (!(outcome instanceof DeliveryOutcome.Delivered delivered)) {
            return outcome;
        }
        String requestId = delivered.requestId();
        Status status = status(requestId);
        if (status == Status.UNSOLICITED) {
            return new DeliveryOutcome.Refused(requestId, Check.UNSOLICITED, "request " + requestId
                    + " is not one this consumer sent");
        }
        String answeredBy = status == Status.ANSWERED ? answered.get(requestId) : answeredNow.get(requestId);
        if (answeredBy == null) {
            answeredNow.put(requestId, position);
            return outcome;
        }
        if (!position.isEmpty() && position.equals(answeredBy)) {
            return outcome;
        }
        return new DeliveryOutcome.Refused(requestId, Check.REPEATED, "request " + requestId
                + " was already answered" + (answeredBy.isEmpty() ? "" : " by the delivery at " + answeredBy));
    }

    /** Remembers that deliveries that passed every check answered these requests, read at these positions. */
    synchronized void answered(Map<String, String> positions) {
        positions.forEach((requestId, position) -> {
            append(ANSWERED, position.isEmpty() ? requestId : requestId + " " + position);
            answered.put(requestId, position);
        });
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
                sent.add(line.substring(SENT.length()));
            } else if (line.startsWith(ANSWERED)) {
                String[] answer = line.substring(ANSWERED.length()).split(" ", 2);
                answered.putIfAbsent(answer[0], answer.length == 2 ? answer[1] : "");
            }
            lineStart = i + 1;
        }
        readUpTo += lineStart;
    }
}
