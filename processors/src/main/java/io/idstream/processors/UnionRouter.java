package io.idstream.processors;

import java.util.HashMap;
import java.util.Map;

/**
 * Routes each member of an Avro union (a directory event, an issuance event, a holder's decision) to the handler
 * registered for its record class. A member no handler takes is refused as malformed, so a kind added to a union
 * is never passed over in silence.
 */
public final class UnionRouter {
    /** Handles one kind of record, with the key it arrived under. */
    @FunctionalInterface
    public interface Handler<T> {
        void handle(String key, T record, long timestamp);
    }

    private final String unionName;
    private final Map<Class<?>, Handler<Object>> handlers = new HashMap<>();

    /** @param unionName what the union is, for the rejection of an unknown member ("decision") */
    public UnionRouter(String unionName) {
        this.unionName = unionName;
    }

    public <T> UnionRouter on(Class<T> kind, Handler<? super T> handler) {
        handlers.put(kind, (key, record, timestamp) -> handler.handle(key, kind.cast(record), timestamp));
        return this;
    }

    public void route(String key, Object member, long timestamp) {
        Handler<Object> handler = member == null ? null : handlers.get(member.getClass());
        if (handler == null) {
            throw new Rejection(RejectReason.MALFORMED, unionName + " of unknown kind");
        }
        handler.handle(key, member, timestamp);
    }
}
