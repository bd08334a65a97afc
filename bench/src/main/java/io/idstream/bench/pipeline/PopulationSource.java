package io.idstream.bench.pipeline;

import io.idstream.avro.DirectoryEvent;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;

import java.util.List;

/** Where a scale population's signed records come from: signed now ({@link PopulationSigner}) or before. */
interface PopulationSource {
    /** Holders per chunk: the unit in which holders are signed, stored and loaded. */
    int CHUNK = 50_000;

    List<PopulationSigner.IssuerKey> issuerKeys();

    /** The issuers' and consumers' registrations, issuers first. */
    List<Keyed<DirectoryEvent>> otherRegistrations();

    /** The chunk of holders that starts at {@code from}, a multiple of {@link #CHUNK}, and ends before {@code to}. */
    HolderChunk chunk(int from, int to);
}
