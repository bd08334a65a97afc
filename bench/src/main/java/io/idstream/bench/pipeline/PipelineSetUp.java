package io.idstream.bench.pipeline;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.IssuanceEvent;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.IssuerNoticeKind;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.bench.pipeline.SetUpPublisher.Keyed;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.mapping.CredentialRecords;
import io.idstream.topics.TopicCatalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the participants onto the platform before anything is timed, in three steps that each wait until the
 * processors have accepted all of their records: everyone registers and the operator accredits the issuer; every
 * holder's credential is stored; every load holder signs a standing grant to every consumer, which is what answers
 * the load's requests without a holder in the loop.
 */
final class PipelineSetUp {
    private final Pipeline pipeline;
    private final TopicCatalog catalog;
    private final Participants participants;
    private final SetUpPublisher publisher;

    private PipelineSetUp(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.catalog = pipeline.catalog;
        this.participants = pipeline.participants;
        this.publisher = new SetUpPublisher(pipeline);
    }

    static void run(Pipeline pipeline, long now) throws IOException {
        PipelineSetUp setUp = new PipelineSetUp(pipeline);
        setUp.register(now);
        setUp.allowTheIssuer(now);
        setUp.storeCredentials();
        setUp.grantStanding(now);
    }

    private void register(long now) throws IOException {
        SigningKeyPair operator = SigningKeyPair.fromPem(PrivateKeyFile.read(pipeline.platform.dataDir
                .resolve("operator").resolve("signing.pem")));
        Participant issuer = participants.issuer;
        List<Keyed<DirectoryEvent>> directory = new ArrayList<>();
        for (Participant participant : participants.everyone()) {
            directory.add(new Keyed<>(participant.id, new DirectoryEvent(participant.registration(now))));
        }
        directory.add(new Keyed<>(issuer.id, new DirectoryEvent(issuer.accreditationBy(operator, now))));
        // Each registration shows once on the verified directory; the issuer's twice, registered then accredited.
        publisher.publish(catalog.directory(), directory, catalog.directoryVerified(), (VerifiedPrincipal v) ->
                v.getAccreditation() == null || v.getPrincipal().getId().equals(issuer.id));
    }

    /** Every holder consents first that the issuer write to it, as the processors require by default. */
    private void allowTheIssuer(long now) {
        Participant issuer = participants.issuer;
        List<Keyed<DecisionEvent>> writeGrants = participants.credentialHolders().stream().map(holder -> new Keyed<>(
                holder.id, new DecisionEvent(holder.writeGrantTo(issuer, Participants.ISSUED_TYPES, now)))).toList();
        publisher.publish(catalog.accessDecisions(), writeGrants, catalog.issuerNotices(issuer.id),
                (IssuerNotice notice) -> notice.getKind() == IssuerNoticeKind.WRITE_GRANTED);
    }

    private void storeCredentials() {
        List<Keyed<IssuanceEvent>> issuance = participants.credentialHolders().stream().map(holder -> new Keyed<>(
                holder.id, new IssuanceEvent(CredentialRecords.toAvro(participants.credential(holder.id))))).toList();
        publisher.publish(catalog.credentialsIssued(), issuance, catalog.credentialsStored(),
                (StoredCredential stored) -> true);
    }

    private void grantStanding(long now) {
        List<Keyed<DecisionEvent>> grants = participants.holders.parallelStream().flatMap(holder -> participants
                .consumers.stream().map(consumer -> new Keyed<>(holder.id, new DecisionEvent(holder.grant(consumer,
                        participants.credential(holder.id), "", Participants.FIELDS, now, 1_000_000_000)))))
                .toList();
        publisher.publish(catalog.accessDecisions(), grants, catalog.audit(),
                (AccessAudit audit) -> audit.getOutcome() == AuditOutcome.GRANTED);
    }
}
