package io.idstream.gateway.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * Reads an event stream without a thread of its own: lines arrive through Java's client's line subscriber, so that
 * a test can hold many streams open at once.
 */
final class EventReader implements Flow.Subscriber<String> {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final CompletableFuture<HttpResponse<Void>> response;
    private volatile Flow.Subscription subscription;
    volatile boolean ended;

    private EventReader(HttpClient http, HttpRequest request) {
        this.response = http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(this));
    }

    static EventReader open(HttpClient http, HttpRequest request) {
        return new EventReader(http, request);
    }

    /** The data lines of the events of this name, in order. */
    List<String> data(String event) {
        List<String> data = new CopyOnWriteArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).equals("event: " + event) && lines.get(i + 1).startsWith("data: ")) {
                data.add(lines.get(i + 1).substring("data: ".length()));
            }
        }
        return data;
    }

    /** Stops reading and drops the connection, as a holder's closed tab would. */
    void close() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        response.cancel(true);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        lines.add(line);
    }

    @Override
    public void onError(Throwable throwable) {
        ended = true;
    }

    @Override
    public void onComplete() {
        ended = true;
    }
}
