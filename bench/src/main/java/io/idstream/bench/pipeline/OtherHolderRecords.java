package io.idstream.bench.pipeline;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.InboxEvent;
import io.idstream.avro.PendingRequest;
import io.idstream.crypto.Encoding;
import io.idstream.crypto.Statements.RequestStatement;
import io.idstream.mapping.RequestRecords;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.topics.Topic;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The records of other holders that load the holder views bench: what the processors write when they park a request
 * (a {@link PendingRequest} on the holder inbox and a {@code PENDING} audit entry, built as the processors build them,
 * each request signed by a consumer), written straight to those two topics with the processors' own serializers, in
 * the measured holder's partitions, so that the gateway's stores hold them next to the holder's own views.
 */
final class OtherHolderRecords {
    /** Records per parked request of another holder: its inbox entry and its audit entry. */
    static final int RECORDS_PER_PARKED = 2;
    private static final int PARKED_PER_OTHER_HOLDER = 5;
    private static final int CHUNK = 10_000;
    private static final long PENDING_TTL_MS = (long) ProcessorsConfig.DEFINITION.defaultValues()
            .get(ProcessorsConfig.PENDING_TTL_MS);

    private final Pipeline pipeline;
    private final Consumer<String> progress;

    OtherHolderRecords(Pipeline pipeline, Consumer<String> progress) {
        this.pipeline = pipeline;
        this.progress = progress;
    }

    /**
     * Writes {@code otherRecords} records: for other holders in the holder's partition, requests parked as
     * the processors park them, {@link #PARKED_PER_OTHER_HOLDER} each, every one an inbox entry and an audit entry.
     * Returns how many other holders there are.
     */
    int write(Participant holder, Participant consumer, int otherRecords) {
        int parked = otherRecords / RECORDS_PER_PARKED;
        int otherHolders = (parked + PARKED_PER_OTHER_HOLDER - 1) / PARKED_PER_OTHER_HOLDER;
        List<String> mates = PartitionMates.of(holder.id, pipeline.catalog.partitions(), "other-holder-",
                otherHolders);
        Topic<String, InboxEvent> inbox = pipeline.catalog.holderInbox();
        Topic<String, AccessAudit> audit = pipeline.catalog.audit();
        String displayName = consumer.id;
        for (int sent = 0; sent < parked; sent += CHUNK) {
            long now = System.currentTimeMillis();
            int first = sent;
            List<byte[][]> chunk = IntStream.range(first, Math.min(parked, first + CHUNK)).parallel()
                    .mapToObj(i -> parkedRecords(inbox, audit, consumer, displayName,
                            mates.get(i / PARKED_PER_OTHER_HOLDER), now)).toList();
            for (int i = 0; i < chunk.size(); i++) {
                String mate = mates.get((first + i) / PARKED_PER_OTHER_HOLDER);
                pipeline.producer.sendBytes(inbox.name(), mate, chunk.get(i)[0]);
                pipeline.producer.sendBytes(audit.name(), mate, chunk.get(i)[1]);
            }
            if ((sent / CHUNK) % 10 == 9) {
                progress.accept("holder views: written " + (sent + chunk.size()) * RECORDS_PER_PARKED + " records");
            }
        }
        pipeline.producer.flush();
        return otherHolders;
    }

    /** The inbox entry and the audit entry of one parked request, serialized. */
    private static byte[][] parkedRecords(Topic<String, InboxEvent> inbox, Topic<String, AccessAudit> audit,
                                          Participant consumer, String displayName, String holderId, long now) {
        AccessRequest request = RequestRecords.signed(consumer.signing, new RequestStatement(
                UUID.randomUUID().toString(), consumer.id, holderId, Participants.CREDENTIAL_TYPE, "", "benchmark",
                now, Encoding.sorted(HolderViewsBenchmark.ASKED_FIELDS)));
        String credentialId = UUID.randomUUID().toString();
        PendingRequest parked = PendingRequest.newBuilder()
                .setRequest(request)
                .setConsumerDisplayName(displayName)
                .setConsumerAccredited(false)
                .setCredentialId(credentialId)
                .setCredentialType(Participants.CREDENTIAL_TYPE)
                .setIssuerId("bench-issuer")
                .setReceivedAt(now)
                .setExpiresAt(now + PENDING_TTL_MS)
                .build();
        AccessAudit entry = new AccessAudit(holderId, consumer.id, credentialId, request.getRequestId(), "",
                request.getFields(), request.getPurpose(), AuditOutcome.PENDING, now);
        return new byte[][] {LoadProducer.serialize(inbox, new InboxEvent(parked)),
                LoadProducer.serialize(audit, entry)};
    }
}
