package io.idstream.processors.access;

import io.idstream.avro.AccessRequest;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Denial;
import io.idstream.avro.Erasure;
import io.idstream.avro.Grant;
import io.idstream.avro.Revocation;
import io.idstream.avro.StoredCredential;
import io.idstream.avro.CredentialRekeyed;
import io.idstream.avro.WriteGrant;
import io.idstream.avro.WriteGrantRevocation;
import io.idstream.processors.PrincipalTopics;
import io.idstream.processors.GuardedProcessor;
import io.idstream.processors.ProcessorsConfig;
import io.idstream.processors.RejectReason;
import io.idstream.processors.Rejection;
import io.idstream.processors.Sinks;
import io.idstream.processors.UnionRouter;
import io.idstream.processors.directory.DirectoryView;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.EnumMap;
import java.util.Map;

/**
 * The access processor (docs/architecture.md "Scope of an access grant"): one task owns all of one holder's state
 * ({@link HolderState}) and routes each input to the handler of its kind: consumers' requests to
 * {@link ConsumerRequests}, holders' decisions to {@link HolderDecisions} (their write grants to
 * {@link WriteGrantDecisions}, their re-keyed credentials to {@link CredentialRekeys}), issuers' revocations (forwarded by the
 * storage processor) to {@link IssuerRevocations}, and its wall-clock punctuation to {@link ExpiryPunctuator}. The
 * handlers write through one {@link AccessOutbox}; every delivery, pending request, denial, revocation, expiry and
 * erasure is audited, and counted by outcome.
 */
public final class AccessProcessor extends GuardedProcessor {
    public static final String NAME = "access-processor";

    private final Deserializer<AccessRequest> requests;
    private final Deserializer<DecisionEvent> decisions;
    private final String requestsTopic;
    private final ProcessorsConfig config;
    private final PrincipalTopics deliveryTopics;
    private final PrincipalTopics issuerNoticeTopics;
    private final Map<AuditOutcome, Sensor> outcomeSensors = new EnumMap<>(AuditOutcome.class);
    private ConsumerRequests consumerRequests;
    private UnionRouter holderDecisions;
    private IssuerRevocations issuerRevocations;

    public AccessProcessor(Deserializer<AccessRequest> requests, Deserializer<DecisionEvent> decisions,
                           String requestsTopic, ProcessorsConfig config, PrincipalTopics deliveryTopics,
                           PrincipalTopics issuerNoticeTopics) {
        super(Sinks.REJECTED, config.partitions());
        this.requests = requests;
        this.decisions = decisions;
        this.requestsTopic = requestsTopic;
        this.config = config;
        this.deliveryTopics = deliveryTopics;
        this.issuerNoticeTopics = issuerNoticeTopics;
    }

    @Override
    protected void open(ProcessorContext<Object, Object> context) {
        HolderState state = new HolderState(context);
        state.indexEarlierState();
        DirectoryView directory = DirectoryView.ofTask(context);
        EarlierGrantKeys.keep(context, directory);
        AccessOutbox outbox = new AccessOutbox(context, this::countOutcome);
        AccessContext access = new AccessContext(state, outbox, new Deliveries(state, outbox, directory),
                new GrantEndings(state, outbox, directory), directory, config, deliveryTopics,
                new IssuerNotices(context, issuerNoticeTopics), context::currentSystemTimeMs);
        consumerRequests = new ConsumerRequests(access);
        HolderDecisions holder = new HolderDecisions(access);
        WriteGrantDecisions writeGrants = new WriteGrantDecisions(access);
        holderDecisions = new UnionRouter("decision")
                .on(Grant.class, holder::grant)
                .on(Denial.class, holder::deny)
                .on(Revocation.class, holder::revoke)
                .on(Erasure.class, holder::erase)
                .on(WriteGrant.class, writeGrants::writeGrant)
                .on(WriteGrantRevocation.class, writeGrants::revoke)
                .on(CredentialRekeyed.class, new CredentialRekeys(access)::rekey);
        issuerRevocations = new IssuerRevocations(access);
        ExpiryPunctuator expiry = new ExpiryPunctuator(access);
        context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, expiry::expire);
    }

    @Override
    protected void handle(Record<Object, Object> record) {
        if (record.value() instanceof StoredCredential changed) {
            issuerRevocations.credentialChanged(changed, record.timestamp());
            return;
        }
        String key = keyOf(record);
        byte[] bytes = (byte[]) record.value();
        if (sourceTopic().equals(requestsTopic)) {
            if (bytes != null && bytes.length > config.maxRequestBytes()) {
                throw new Rejection(RejectReason.OVERSIZE, "request is " + bytes.length + " bytes, more than the "
                        + "limit of " + config.maxRequestBytes());
            }
            consumerRequests.request(key, decode(requests, sourceTopic(), bytes), record.timestamp());
        } else {
            holderDecisions.route(key, decode(decisions, sourceTopic(), bytes).getDecision(), record.timestamp());
        }
    }

    private void countOutcome(AuditOutcome outcome) {
        outcomeSensors.computeIfAbsent(outcome, o -> counter("outcomes-total",
                "Deliveries, pending requests, grants, denials, revocations, expiries and erasures, by outcome",
                "outcome", o.name())).record();
    }
}
