package io.idstream.bench.pipeline;

import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;

import java.util.List;

/**
 * One chunk of a scale population's holders with every record they need, signed: registrations, consents that an
 * issuer write to them, and credentials; {@code signSeconds} is how long signing them took.
 */
record HolderChunk(List<Keyed<DirectoryEvent>> registrations, List<Keyed<DecisionEvent>> consents,
                   List<Keyed<IssuanceEvent>> credentials, double signSeconds) {
    int records() {
        return registrations.size() + consents.size() + credentials.size();
    }
}
