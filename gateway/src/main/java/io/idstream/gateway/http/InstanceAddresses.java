package io.idstream.gateway.http;

import io.idstream.gateway.views.HolderViews;
import io.idstream.gateway.views.HolderViews.Owner;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.server.Request;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Tells a request another instance of this gateway forwarded from one a client sent: it carries
 * {@value Forwarder#FORWARDED_HEADER} and comes from the address of an instance the views list. A client that sends
 * the header itself is not believed: its request is treated as if the header were not there (forwarded if need be,
 * and paced as a client's). Advertised host names are resolved at most once a minute each.
 */
final class InstanceAddresses {
    private static final long RESOLVE_EVERY_MS = 60_000;

    private final HolderViews views;
    private final Map<String, Resolved> byHost = new ConcurrentHashMap<>();

    InstanceAddresses(HolderViews views) {
        this.views = views;
    }

    boolean forwardedByAnInstance(Request request, long nowMillis) {
        if (!Forwarder.wasForwarded(request)) {
            return false;
        }
        String remote = Request.getRemoteAddr(request);
        List<Owner> known;
        try {
            known = views.instances();
        } catch (InvalidStateStoreException starting) {
            return false;
        }
        for (Owner instance : known) {
            if (!instance.local() && addressesOf(instance.host(), nowMillis).contains(remote)) {
                return true;
            }
        }
        return false;
    }

    private Set<String> addressesOf(String host, long nowMillis) {
        Resolved known = byHost.get(host);
        if (known != null && nowMillis - known.at() < RESOLVE_EVERY_MS) {
            return known.addresses();
        }
        Set<String> addresses;
        try {
            addresses = Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress)
                    .collect(Collectors.toUnmodifiableSet());
        } catch (UnknownHostException e) {
            addresses = Set.of();
        }
        byHost.put(host, new Resolved(addresses, nowMillis));
        return addresses;
    }

    private record Resolved(Set<String> addresses, long at) {
    }
}
