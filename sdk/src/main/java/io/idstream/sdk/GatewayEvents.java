package io.idstream.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.PendingRequest;
import io.idstream.sdk.GatewayConnection.ActiveGrant;
import io.idstream.sdk.GatewayConnection.AuditEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A subscription to a holder's server-sent events ({@code GET /v1/holders/{id}/events}, docs/protocol.md section
 * 16): {@code inbox}, {@code audit}, {@code grant} and {@code consent-request} events handed to the listener on the subscription's own
 * thread, comment lines (the gateway's keep-alives) and events of other names passed over. When the stream drops or
 * the gateway refuses it, the listener is told why and the subscription connects again, with a new signature, after
 * a pause that grows to {@link #MAX_PAUSE}; {@link #close()} ends it. What arrives is as the gateway serves it, not
 * yet checked: an application reads the holder's state again through {@link HolderClient} on an event.
 */
public final class GatewayEvents implements AutoCloseable {
    static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEvents.class);

    private final GatewayConnection connection;
    private final String path;
    private final Listener listener;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread reader;
    private volatile InputStream stream;

    /** What a subscriber is told. Called on the subscription's thread, one call at a time. */
    public interface Listener {
        void onEvent(Event event);

        /** The stream dropped or was refused; the subscription connects again unless it was closed. */
        default void onDisconnect(IdstreamException why) {
        }
    }

    /** An event of the holder's stream. */
    public sealed interface Event {
    }

    /** A request arrived in the inbox. */
    public record InboxArrived(PendingRequest request) implements Event {
    }

    /** An audit entry was written. */
    public record Audited(AuditEntry entry) implements Event {
    }

    /** A grant changed: its state now, or null when it ended. */
    public record GrantChanged(String grantId, ActiveGrant grant) implements Event {
    }

    /** An issuer's consent request arrived, not yet checked: {@link HolderClient#consentRequests()} checks it. */
    public record ConsentRequested(ConsentRequest request) implements Event {
    }

    private GatewayEvents(GatewayConnection connection, String path, Listener listener) {
        this.connection = connection;
        this.path = path;
        this.listener = listener;
        this.reader = new Thread(this::run, "idstream-gateway-events");
        this.reader.setDaemon(true);
    }

    static GatewayEvents start(GatewayConnection connection, String path, Listener listener) {
        GatewayEvents events = new GatewayEvents(connection, path, listener);
        events.reader.start();
        return events;
    }

    private void run() {
        Duration pause = FIRST_PAUSE;
        while (closed.getCount() > 0) {
            try {
                if (readOnce()) {
                    pause = FIRST_PAUSE;
                }
                if (closed.getCount() > 0) {
                    listener.onDisconnect(new IdstreamException("the gateway at " + connection.url()
                            + " ended the event stream"));
                }
            } catch (IdstreamException e) {
                if (closed.getCount() > 0) {
                    listener.onDisconnect(e);
                }
            }
            try {
                if (closed.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    /** One connection, read to its end; true when the gateway accepted it. */
    private boolean readOnce() {
        HttpResponse<InputStream> response = connection.http().exchange(connection.http().signed("GET", path, null),
                HttpResponse.BodyHandlers.ofInputStream(), "GET " + path);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw GatewayAnswers.refusal(response.statusCode(), body.readAllBytes());
            }
            stream = body;
            if (closed.getCount() == 0) {
                return true;
            }
            read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
            return true;
        } catch (IOException e) {
            if (closed.getCount() == 0) {
                return true;
            }
            throw new IdstreamException("the event stream from the gateway at " + connection.url() + " dropped: "
                    + e.getMessage(), e);
        }
    }

    /** Reads {@code event:}/{@code data:} lines; a blank line ends an event (the server-sent events format). */
    private void read(BufferedReader lines) throws IOException {
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    dispatch(name, data.toString());
                }
                name = "message";
                data.setLength(0);
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                value = value.startsWith(" ") ? value.substring(1) : value;
                if (field.equals("event")) {
                    name = value;
                } else if (field.equals("data")) {
                    data.append(data.isEmpty() ? "" : "\n").append(value);
                }
            }
        }
    }

    private void dispatch(String name, String data) {
        Event event;
        try {
            JsonNode json = GatewayAnswers.parse(data);
            switch (name) {
                case "inbox" -> event = new InboxArrived(GatewayAnswers.record(json, PendingRequest.class));
                case "audit" -> event = new Audited(GatewayAnswers.auditEntry(json));
                case "consent-request" -> event = new ConsentRequested(GatewayAnswers.record(json,
                        ConsentRequest.class));
                case "grant" -> event = new GrantChanged(json.path("grantId").asText(),
                        json.path("grant").isObject() ? GatewayAnswers.activeGrant(json.path("grant")) : null);
                default -> {
                    return;
                }
            }
        } catch (IdstreamException e) {
            LOG.warn("skipped an event from the gateway: event={} reason={}", name, e.getMessage());
            return;
        }
        if (closed.getCount() > 0) {
            listener.onEvent(event);
        }
    }

    /**
     * Ends the subscription: the stream is closed and no call reaches the listener after this returns (when called
     * from the listener itself, none after the call being made).
     */
    @Override
    public void close() {
        closed.countDown();
        InputStream open = stream;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                LOG.debug("closing the event stream failed: {}", e.getMessage());
            }
        }
        if (Thread.currentThread() == reader) {
            return;
        }
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
