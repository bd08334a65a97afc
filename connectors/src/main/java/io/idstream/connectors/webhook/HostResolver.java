package io.idstream.connectors.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves the webhook's host name to the addresses the sink may connect to. The sink asks it once per connection
 * and checks each address it would connect to, so that a name cannot pass the address rule at start and lead
 * elsewhere later. {@link #SYSTEM} is the platform's DNS; a test passes its own, to play a rebinding DNS offline.
 */
@FunctionalInterface
public interface HostResolver {
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** Every address of {@code host} (a name or an IP literal without brackets), in the order to try them. */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
