package io.idstream.cli.client;

import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.Identity;
import io.idstream.sdk.PrincipalClient;

import java.util.Properties;
import java.util.function.BiFunction;

/**
 * A command run as one participant, the one its option {@code --ROLE} names (for the role "holder", {@code --holder}):
 * it opens that participant's client with the participant's keys, runs with it, and closes it.
 */
abstract class ParticipantCommand<C extends PrincipalClient> extends ClientCommand {
    private final String role;
    private final BiFunction<Identity, Properties, C> clientFactory;

    ParticipantCommand(String role, BiFunction<Identity, Properties, C> clientFactory) {
        this.role = role;
        this.clientFactory = clientFactory;
    }

    @Override
    final void run() {
        String id = spec.findOption("--" + role).getValue();
        try (C client = clientFactory.apply(identity(id), options.properties())) {
            run(client);
        }
    }

    abstract void run(C client);

    /** The identity {@code id} from the keys directory, refused unless it was made for this command's role. */
    private Identity identity(String id) {
        Identity identity = Identity.load(options.keys, id, KeyPassphrase.toOpen("the keys of '" + id + "'"));
        if (!identity.role().isEmpty() && !identity.role().equals(role)) {
            throw new IdstreamException("'" + id + "' has the role " + identity.role() + ", not " + role);
        }
        return identity;
    }
}
