package io.idstream.connectors.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where the sink may connect, decided on the address itself, never on a name: plain HTTP only to a loopback address
 * (a receiver on the same host; the envelopes and signature must not travel in clear); HTTPS to a public address or
 * a loopback one, and to a private one (the ranges of {@link #isPrivate}) only with
 * {@code webhook.allow.private.addresses=true}, so that a consumer's URL cannot reach the platform's own network or a
 * cloud metadata service by accident of configuration or by DNS. Multicast addresses are never connected to.
 */
final class WebhookAddressPolicy {
    static final String PLAIN_HTTP_RULE = "plain http is allowed to a loopback address only; use https, the "
            + "deliveries' envelopes and signature must not travel in clear";
    private static final byte[] AZURE_HOST_ENDPOINT = {(byte) 168, 63, (byte) 129, 16};
    private static final byte[] LOCAL_USE_NAT64_PREFIX = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 1};

    private final boolean allowPrivateAddresses;

    WebhookAddressPolicy(boolean allowPrivateAddresses) {
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    /** Why the sink must not connect to {@code address} for a URL of {@code scheme}, or empty if it may. */
    Optional<String> refusal(String scheme, InetAddress address) {
        if ("http".equalsIgnoreCase(scheme)) {
            return address.isLoopbackAddress() ? Optional.empty() : Optional.of(PLAIN_HTTP_RULE);
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if (address.isLoopbackAddress() || !isPrivate(address) || allowPrivateAddresses) {
            return Optional.empty();
        }
        return Optional.of("a private address (local network, link-local or cloud metadata); set "
                + DeliveryWebhookSinkConfig.WEBHOOK_ALLOW_PRIVATE_ADDRESSES + "=true if the endpoint really is there");
    }

    /**
     * Not reachable from the internet, so a URL leading there reaches the platform's own network: 0.0.0.0/8 (which
     * Linux connects to this host), 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), 169.254/16
     * (link-local, cloud metadata at 169.254.169.254), 192.0.0/24 (protocol assignments), 198.18/15 (benchmarking),
     * 240/4 (reserved), Azure's host endpoint 168.63.129.16, the IPv6 unspecified address, fc00::/7 (unique local),
     * fe80::/10 (link-local), fec0::/10 (site-local), 64:ff9b:1::/48 (local-use NAT64), and IPv4 addresses of those
     * ranges mapped or embedded in IPv6.
     */
    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            int third = bytes[2] & 0xff;
            return first == 0 || first >= 240
                    || (first == 100 && second >= 64 && second < 128)
                    || (first == 192 && second == 0 && third == 0)
                    || (first == 198 && (second == 18 || second == 19))
                    || Arrays.equals(bytes, AZURE_HOST_ENDPOINT);
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc || Arrays.equals(Arrays.copyOf(bytes, 6), LOCAL_USE_NAT64_PREFIX)) {
                return true;
            }
            if (embedsIpv4(bytes)) {
                byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    InetAddress embedded = InetAddress.getByAddress(v4);
                    return embedded.isLoopbackAddress() || isPrivate(embedded);
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** ::a.b.c.d (IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64); ::ffff:a.b.c.d Java already reads as IPv4. */
    private static boolean embedsIpv4(byte[] v6) {
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= v6[i] == 0;
        }
        boolean nat64 = v6[0] == 0 && v6[1] == 0x64 && (v6[2] & 0xff) == 0xff && (v6[3] & 0xff) == 0x9b;
        for (int i = 4; i < 12 && nat64; i++) {
            nat64 = v6[i] == 0;
        }
        return compatible || nat64;
    }
}
