package io.idstream.cli;

import io.idstream.avro.AccessAudit;
import io.idstream.avro.AuditOutcome;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.IssuerNotice;
import io.idstream.avro.NoticeKind;
import io.idstream.avro.PendingRequest;
import io.idstream.sdk.ConsumerClient;
import io.idstream.sdk.DeliveryOutcome;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.IssuanceOutcome;
import io.idstream.sdk.IssuerClient;
import io.idstream.sdk.OperatorClient;
import io.idstream.sdk.Rotation;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static io.idstream.cli.DemoCommand.ALICE_KYC;
import static io.idstream.cli.DemoCommand.WAIT;

/**
 * The demo's story, stage by stage, each checked the way its participant would check it: the issuer asks Alice for
 * consent and is refused until she gives it; two consumers are served what she approves; she revokes one; she rotates
 * her keys, after which her credential opens with the new key only and a consumer is served again once she approves
 * with it. It prints field names, never a field's value; a stage that does not verify throws
 * {@link DemoCommand.DemoFailure}.
 */
final class DemoStory {
    private final PrintWriter out;
    private final long started;
    private final Function<String, String> id;
    private int stage;

    DemoStory(PrintWriter out, long started, Function<String, String> id) {
        this.out = out;
        this.started = started;
        this.id = id;
    }

    /** The participants; {@code aliceAfterRotation} opens Alice's client again on the keys her rotation wrote. */
    record Cast(IssuerClient issuer, HolderClient alice, Supplier<HolderClient> aliceAfterRotation,
                ConsumerClient exchange, ConsumerClient app, OperatorClient operator,
                ConsumerClient.Subscription exchangeInbox, ConsumerClient.Subscription appInbox,
                Path keys) {
    }

    int tell(Cast cast) {
        IssuerClient issuer = cast.issuer();
        HolderClient alice = cast.alice();
        stage("An issuer asks Alice for consent; until she gives it, its credentials are refused");
        issuer.register("KYC Provider");
        cast.operator().accredit(id("kyc-provider"));
        alice.register("Alice");
        cast.exchange().register("Exchange A");
        cast.app().register("App B");
        // Alice approves only consumers accredited under the operator key she pins.
        cast.operator().accredit(id("exchange-a"));
        cast.operator().accredit(id("app-b"));
        say("registered " + id("kyc-provider") + ", " + id("exchange-a") + " and " + id("app-b")
                + " (accredited by the operator), and " + id("alice") + " (through the holder gateway)");
        IssuanceOutcome unasked = issuer.issueAndAwait(id("alice"), "kyc", ALICE_KYC, 0L, WAIT);
        check(!unasked.stored() && "no-write-grant".equals(unasked.reason()), "kyc-provider hears its credential "
                + "refused without Alice's consent: " + unasked.reason());
        String consentRequestId = issuer.requestConsent(id("alice"), List.of("kyc"), "KYC onboarding");
        ConsentRequest asked = await(() -> alice.consentRequests().stream()
                .filter(r -> r.getConsentRequestId().equals(consentRequestId)).findFirst(),
                "Alice's consent request from kyc-provider");
        check(asked.getIssuerId().equals(id("kyc-provider")) && asked.getCredentialTypes().equals(List.of("kyc")),
                "Alice sees kyc-provider's signed consent request for " + asked.getCredentialTypes() + ", purpose '"
                        + asked.getPurpose() + "'");
        alice.allowIssuer(id("kyc-provider"), List.of("kyc"), Duration.ofDays(365), consentRequestId);
        Optional<IssuerNotice> allowed = issuer.awaitWriteGrant(id("alice"), consentRequestId, WAIT);
        check(allowed.isPresent(), "kyc-provider hears Alice allowed it to write kyc for a year");

        stage("The issuer verifies Alice and issues a KYC credential");
        IssuanceOutcome issued = issuer.issueAndAwait(id("alice"), "kyc", ALICE_KYC, 0L, WAIT);
        check(issued.stored(), "kyc-provider hears its credential stored");
        String credentialId = issued.credentialId();
        alice.awaitCredential(credentialId, WAIT);
        check(alice.open(credentialId).equals(ALICE_KYC), "Alice opens her credential: " + ALICE_KYC.size()
                + " fields " + ALICE_KYC.keySet() + " decrypt and match the issuer's signed commitments");

        stage("Exchange A asks for country and age_over_18; Alice approves for 30 days and 5 uses");
        String first = cast.exchange().request(id("alice"), "kyc", List.of("country", "age_over_18"),
                "account onboarding");
        expectNotice(cast.exchangeInbox(), first, NoticeKind.PENDING, "exchange-a hears PENDING");
        PendingRequest pending = alice.awaitPending(first, WAIT);
        say("alice's inbox: " + pending.getConsumerDisplayName() + " asks for " + pending.getRequest().getFields()
                + " of her " + pending.getCredentialType() + " credential, purpose '"
                + pending.getRequest().getPurpose() + "'");
        alice.approve(first, new HolderClient.Scope(null, Duration.ofDays(30), 5));
        expectDelivery(cast.exchangeInbox(), first, Map.of("country", "DE", "age_over_18", "true"), "exchange-a");

        stage("App B asks for kyc_level and sanctions_clear; one approval, no resubmission");
        String second = cast.app().request(id("alice"), "kyc", List.of("kyc_level", "sanctions_clear"),
                "stablecoin wallet");
        expectNotice(cast.appInbox(), second, NoticeKind.PENDING, "app-b hears PENDING");
        alice.awaitPending(second, WAIT);
        alice.approve(second, new HolderClient.Scope(null, Duration.ofDays(30), 5));
        expectDelivery(cast.appInbox(), second, Map.of("kyc_level", "2", "sanctions_clear", "true"), "app-b");

        stage("Exchange A asks again, for the same purpose, and is answered at once from the standing grant");
        long asked3 = System.nanoTime();
        String third = cast.exchange().request(id("alice"), "kyc", List.of("country"), "account onboarding");
        expectDelivery(cast.exchangeInbox(), third, Map.of("country", "DE"), "exchange-a");
        say("answered in " + (System.nanoTime() - asked3) / 1_000_000 + " ms, without Alice");

        stage("Alice revokes Exchange A; its next request waits");
        String grantId = alice.activeGrants().values().stream()
                .filter(g -> g.getConsumerId().equals(id("exchange-a"))).map(AccessAudit::getGrantId).findFirst()
                .orElseThrow(() -> new DemoCommand.DemoFailure("Alice has no active grant for exchange-a"));
        alice.revoke(grantId);
        expectAny(cast.exchangeInbox(), o -> o instanceof DeliveryOutcome.Notice n && n.kind() == NoticeKind.REVOKED
                && n.grantId().equals(grantId), "exchange-a hears REVOKED for grant " + grantId);
        String fourth = cast.exchange().request(id("alice"), "kyc", List.of("country"), "account onboarding");
        expectNotice(cast.exchangeInbox(), fourth, NoticeKind.PENDING, "exchange-a's next request waits: PENDING");

        stage("Alice rotates her keys: her credential is re-keyed, and grants signed with the old key end");
        Rotation rotation = alice.rotate(cast.keys());
        // No count is printed: a number could stand for a field's value ("2") in the output.
        check(rotation.credentialsRekeyed() == 1, "the platform holds her one credential re-keyed to her new key");
        try (HolderClient rotated = cast.aliceAfterRotation().get()) {
            return afterRotation(cast, rotated, credentialId);
        }
    }

    private int afterRotation(Cast cast, HolderClient rotated, String credentialId) {
        check(rotated.open(credentialId).equals(ALICE_KYC), "Alice opens her credential with her new key only: "
                + ALICE_KYC.size() + " fields decrypt and match the issuer's signed commitments");
        expectAny(cast.appInbox(), o -> o instanceof DeliveryOutcome.Notice n && n.kind() == NoticeKind.KEY_CHANGED,
                "app-b hears KEY_CHANGED: its grant was signed with Alice's old key");

        stage("App B asks again; Alice approves with her new key, and App B verifies the delivery");
        String fifth = cast.app().request(id("alice"), "kyc", List.of("kyc_level"), "stablecoin wallet");
        expectNotice(cast.appInbox(), fifth, NoticeKind.PENDING, "app-b's request waits for Alice: PENDING");
        rotated.awaitPending(fifth, WAIT);
        rotated.approve(fifth, new HolderClient.Scope(null, Duration.ofDays(30), 1));
        expectDelivery(cast.appInbox(), fifth, Map.of("kyc_level", "2"), "app-b");

        stage("Alice's audit trail");
        List<AccessAudit> trail = rotated.audit();
        for (AccessAudit entry : trail) {
            say(String.format("%-18s %-11s fields=%s purpose='%s'", entry.getOutcome(),
                    entry.getConsumerId().isEmpty() ? "-" : entry.getConsumerId(), entry.getFields(),
                    entry.getPurpose()));
        }
        check(trail.stream().filter(a -> a.getOutcome() == AuditOutcome.DELIVERED).count() == 4,
                "four deliveries audited");
        say("");
        say("Every stage verified in " + (System.nanoTime() - started) / 1_000_000 + " ms.");
        return IdstreamCommand.EXIT_OK;
    }

    private String id(String name) {
        return id.apply(name);
    }

    private void expectDelivery(ConsumerClient.Subscription inbox, String requestId, Map<String, String> expected,
                                String consumer) {
        DeliveryOutcome outcome = inbox.await(requestId, o -> !(o instanceof DeliveryOutcome.Notice), WAIT)
                .orElseThrow(() -> new DemoCommand.DemoFailure(consumer + " received nothing for request "
                        + requestId));
        if (outcome instanceof DeliveryOutcome.Refused refused) {
            throw new DemoCommand.DemoFailure(consumer + " refused the delivery: " + refused.failedCheck() + ": "
                    + refused.reason());
        }
        DeliveryOutcome.Delivered delivered = (DeliveryOutcome.Delivered) outcome;
        check(delivered.values().equals(expected), consumer + " verified the issuer's and Alice's signatures and "
                + "decrypted exactly " + new TreeMap<>(expected).keySet() + "; values match what the issuer signed");
    }

    private void expectNotice(ConsumerClient.Subscription inbox, String requestId, NoticeKind kind, String what) {
        Optional<DeliveryOutcome> outcome = inbox.await(requestId, o -> true, WAIT);
        check(outcome.isPresent() && outcome.get() instanceof DeliveryOutcome.Notice n && n.kind() == kind, what);
    }

    private void expectAny(ConsumerClient.Subscription inbox, Predicate<DeliveryOutcome> wanted, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (inbox.poll(Duration.ofMillis(200)).stream().anyMatch(wanted)) {
                check(true, what);
                return;
            }
        }
        check(false, what);
    }

    /** Asks {@code read} again, a few times a second, until it finds something or the demo's wait is over. */
    private static <T> T await(Supplier<Optional<T>> read, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = read.get();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new DemoCommand.DemoFailure(what + " did not arrive within " + WAIT.toSeconds() + " s");
    }

    private void stage(String title) {
        stage++;
        out.println();
        out.println(stage + ". " + title);
        out.flush();
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            throw new DemoCommand.DemoFailure(what + ": NOT verified");
        }
        say("verified: " + what);
    }

    private void say(String line) {
        out.println("   " + line);
        out.flush();
    }
}
