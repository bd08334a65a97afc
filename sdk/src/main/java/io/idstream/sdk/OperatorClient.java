package io.idstream.sdk;

import io.idstream.avro.Accreditation;
import io.idstream.avro.AccreditationWithdrawn;
import io.idstream.avro.DirectoryEvent;
import io.idstream.avro.VerifiedPrincipal;
import io.idstream.crypto.SigningKeyPair;
import io.idstream.crypto.Statements.AccreditationStatement;
import io.idstream.crypto.Statements.WithdrawalStatement;
import io.idstream.mapping.PrincipalRecords;
import io.idstream.schemas.serde.AvroSerdeConfig;

import io.idstream.topics.AclPolicy;
import io.idstream.topics.ClientQuotas;
import io.idstream.topics.ProvisioningReport;
import io.idstream.topics.ReservedPrincipalIds;
import io.idstream.topics.ScramLogins;
import io.idstream.topics.Topic;
import io.idstream.topics.TopicProvisioner;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * The operator's client: accredits principals (issuers) with an operator key the processors trust, withdraws those
 * accreditations, and provisions the catalogue's topics on a cluster.
 */
public final class OperatorClient extends ClusterClient {
    private static final String REGISTRY_TLS_PREFIX = "schema.registry.ssl.";
    private final SigningKeyPair operatorKey;
    /** The registry's TLS settings ({@code schema.registry.ssl.*}), which new principals reach it with too. */
    private final Properties registryTls = new Properties();

    public OperatorClient(SigningKeyPair operatorKey, Properties properties) {
        super(properties);
        this.operatorKey = operatorKey;
        properties.forEach((key, value) -> {
            if (((String) key).startsWith(REGISTRY_TLS_PREFIX)) {
                registryTls.put(key, value);
            }
        });
    }

    /**
     * Accredits the registered principal's current signing key, and waits until the directory shows it. If the
     * processors refuse the accreditation (an operator key they do not trust, a key rotated meanwhile: docs/protocol.md
     * section 7), this throws at once with their reason code and detail.
     */
    public void accredit(String id) {
        VerifiedPrincipal entry = directory.fresh(id).orElseThrow(() -> new IdstreamException("'" + id
                + "' is not registered, so it cannot be accredited"));
        // Later than every accreditation and withdrawal the entry holds, even if this clock is behind the one that made
        // them: the processors refuse any other as a replay (docs/protocol.md section 7).
        AccreditationWithdrawn withdrawal = entry.getWithdrawal();
        long newest = Math.max(latestAccreditedAt(entry), withdrawal == null ? 0 : withdrawal.getWithdrawnAt());
        long accreditedAt = Math.max(System.currentTimeMillis(), newest + 1);
        AccreditationStatement statement = new AccreditationStatement(id, entry.getPrincipal().getRole(),
                PrincipalRecords.signingKey(entry.getPrincipal()), accreditedAt);
        directory.submit(new DirectoryEvent(PrincipalRecords.accreditation(operatorKey, statement)), id,
                e -> e.getAccreditation() != null && e.getAccreditation().getAccreditedAt() >= accreditedAt,
                PrincipalClient.PROPAGATION_TIMEOUT, "accreditation of '" + id + "'");
    }

    /**
     * Withdraws the accreditation of a principal, and waits until the directory shows it withdrawn: from then on the
     * processors deliver none of an issuer's credentials (docs/protocol.md sections 7 and 11), and only a new
     * {@link #accredit} accredits it again. An accreditation that a key rotation dropped can be withdrawn too, so that
     * rotating back cannot bring it back. If the processors refuse the withdrawal (an operator key they do not trust),
     * this throws at once with their reason code and detail.
     */
    public void withdraw(String id) {
        VerifiedPrincipal entry = directory.fresh(id).orElseThrow(() -> new IdstreamException("'" + id
                + "' is not registered, so it has no accreditation to withdraw"));
        long latestAccreditedAt = latestAccreditedAt(entry);
        AccreditationWithdrawn withdrawn = entry.getWithdrawal();
        if (entry.getAccreditation() == null && (latestAccreditedAt == 0
                || withdrawn != null && withdrawn.getWithdrawnAt() > latestAccreditedAt)) {
            throw new IdstreamException("'" + id + "' is not accredited, so it has no accreditation to withdraw");
        }
        // Later than the accreditation it withdraws, even if this clock is behind the one that accredited.
        long withdrawnAt = Math.max(System.currentTimeMillis(), latestAccreditedAt + 1);
        WithdrawalStatement statement = new WithdrawalStatement(id, entry.getPrincipal().getRole(),
                PrincipalRecords.signingKey(entry.getPrincipal()), withdrawnAt);
        directory.submit(new DirectoryEvent(PrincipalRecords.withdrawal(operatorKey, statement)), id,
                e -> e.getAccreditation() == null && e.getWithdrawal() != null
                        && e.getWithdrawal().getWithdrawnAt() >= withdrawnAt,
                PrincipalClient.PROPAGATION_TIMEOUT, "withdrawal of the accreditation of '" + id + "'");
    }

    /** The greatest accreditedAt ever accepted for the entry's id, one a key rotation dropped included, or 0. */
    private static long latestAccreditedAt(VerifiedPrincipal entry) {
        Accreditation inForce = entry.getAccreditation();
        return Math.max(entry.getLatestAccreditedAt(), inForce == null ? 0 : inForce.getAccreditedAt());
    }

    /** Creates the catalogue's missing topics (and a consumer's delivery topic, given its id); reports drift. */
    public ProvisioningReport provision(String... consumerIds) {
        List<Topic<?, ?>> topics = new ArrayList<>(gateway.catalog().platformTopics());
        for (String consumerId : consumerIds) {
            topics.add(gateway.lastingTopics().deliveries(consumerId));
        }
        try (Admin admin = Admin.create(gateway.kafkaOnly(AdminClientConfig.configNames()))) {
            return new TopicProvisioner(admin, Duration.ofSeconds(30)).provision(topics);
        }
    }

    /**
     * On a secure cluster: creates the Kafka user of an issuer or consumer (SCRAM-SHA-512, with a new random
     * password), its ACLs ({@link AclPolicy}) and its client quotas ({@link ClientQuotas}); returns the client
     * properties that principal connects with. Refuses a reserved id ({@link ReservedPrincipalIds}) and an id that
     * already has a Kafka user: setting a credential replaces the one there, which would hand that user's login to
     * whoever asked, the platform's super user or Connect worker included.
     */
    public Properties createKafkaUser(String id, String role) {
        ReservedPrincipalIds.refusal(id).ifPresent(reason -> {
            throw new IdstreamException("cannot create the Kafka user '" + id + "': " + reason);
        });
        String password = ScramLogins.newPassword();
        try (Admin admin = Admin.create(gateway.kafkaOnly(AdminClientConfig.configNames()))) {
            if (hasScramCredential(admin, id)) {
                throw new IdstreamException("cannot create the Kafka user '" + id + "': it exists already, and its "
                        + "login is not replaced");
            }
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(id,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get();
            admin.createAcls(new AclPolicy(gateway.catalog()).bindingsFor(id, role)).all().get();
            List<ClientQuotaAlteration> quotas = ClientQuotas.forPrincipal(id, role);
            if (!quotas.isEmpty()) {
                admin.alterClientQuotas(quotas).all().get();
            }
        } catch (ExecutionException e) {
            throw new IdstreamException("cannot create the Kafka user '" + id + "': " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdstreamException("interrupted while creating the Kafka user '" + id + "'", e);
        }
        // The new principal reaches the cluster the way the operator does (the same protocol and TLS settings).
        Properties client = new Properties();
        gateway.kafkaOnly(Set.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)).forEach((key, value) -> {
            if (!key.startsWith("sasl.")) {
                client.put(key, value);
            }
        });
        client.put("sasl.mechanism", ScramLogins.MECHANISM);
        client.put("sasl.jaas.config", ScramLogins.jaas(id, password));
        // The same login opens the secure platform's schema registry (Confluent's keys for HTTP basic auth).
        client.put("basic.auth.credentials.source", "USER_INFO");
        client.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, id + ":" + password);
        client.putAll(registryTls);
        return client;
    }

    private static boolean hasScramCredential(Admin admin, String user)
            throws ExecutionException, InterruptedException {
        try {
            admin.describeUserScramCredentials(List.of(user)).description(user).get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw e;
        }
    }
}
