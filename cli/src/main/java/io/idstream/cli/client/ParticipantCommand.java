package io.idstream.cli.client;

import io.idstream.sdk.IdstreamException;
import io.idstream.sdk.Identity;

import java.nio.file.Path;

/**
 * A command run as one participant, the one its option {@code --ROLE} names (for the role "holder", {@code --holder}):
 * it opens that participant's client with the participant's keys, runs with it, and closes it.
 */
abstract class ParticipantCommand<C extends AutoCloseable> extends ClientCommand {
    private final String role;

    ParticipantCommand(String role) {
        this.role = role;
    }

    @Override
    final void run() {
        String id = spec.findOption("--" + role).getValue();
        try (C client = open(identity(id))) {
            run(client);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IdstreamException("closing the client of '" + id + "' failed: " + e.getMessage(), e);
        }
    }

    /** The directory of the identities' keys. */
    abstract Path keys();

    /** The participant's client, with its keys. */
    abstract C open(Identity identity);

    abstract void run(C client);

    /** The identity {@code id} from the keys directory, refused unless it was made for this command's role. */
    private Identity identity(String id) {
        Identity identity = Identity.load(keys(), id, KeyPassphrase.toOpen("the keys of '" + id + "'"));
        if (!identity.role().isEmpty() && !identity.role().equals(role)) {
            throw new IdstreamException("'" + id + "' has the role " + identity.role() + ", not " + role);
        }
        return identity;
    }
}
