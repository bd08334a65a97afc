package io.idstream.it;

import io.idstream.gateway.GatewayConfig;
import io.idstream.gateway.views.HolderViews.Owner;
import io.idstream.it.SignedHttp.Answer;
import io.idstream.platform.Platform;
import io.idstream.platform.gateway.GatewayInstance;
import io.idstream.schemas.serde.AvroSerdeConfig;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static io.idstream.it.SignedHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The holder API of the platform's gateway, called as a holder's own client would: raw HTTP requests signed with the
 * holder's key (docs/protocol.md section 16). The story's parties are made through the SDK; alice then
 * reads her inbox and her credentials over HTTP, bob's key is refused on alice's inbox, a replayed request is
 * refused; and with a second gateway instance in the same application, the platform's instance answers for a
 * holder of the second's by forwarding her request to it.
 */
@Timeout(240)
class GatewayIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static Platform platform;
    static StoryClients story;
    static HolderClient bob;
    static Identity aliceKeys;
    static Identity bobKeys;
    static Path keys;
    static String credentialId;
    static String requestId;

    @BeforeAll
    static void start() {
        platform = StoryClients.startPlatform(dir.resolve("data"));
        keys = dir.resolve("keys");
        story = new StoryClients(platform, keys);
        aliceKeys = Identity.load(keys, "alice");
        bobKeys = Identity.create(keys, "bob", "holder");
        bob = StoryClients.holder(platform, bobKeys);
        bob.register("Bob");
        credentialId = story.issuer.issue("alice", "kyc", Map.of("country", "DE", "age_over_18", "true"), 0L);
        story.alice.awaitCredential(credentialId, WAIT);
        requestId = story.exchange.requestCredential("alice", credentialId, List.of("country"), "onboarding");
        story.alice.awaitPending(requestId, WAIT);
    }

    @AfterAll
    static void stop() {
        if (bob != null) {
            bob.close();
        }
        if (story != null) {
            story.close();
        }
        platform.close();
    }

    @Test
    void aliceReadsHerPendingRequestAndHerCredentialOverHttp() {
        URI gateway = platform.gatewayUrl();

        await("alice's inbox over HTTP").atMost(WAIT).untilAsserted(() -> {
            Answer inbox = signedGet(aliceKeys, gateway.resolve("/v1/holders/alice/inbox"));
            assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
            assertThat(inbox.json().path("requests").findValuesAsText("requestId")).containsExactly(requestId);
        });
        Answer credentials = signedGet(aliceKeys, gateway.resolve("/v1/holders/alice/credentials"));
        assertThat(credentials.status()).as(credentials.body()).isEqualTo(200);
        assertThat(credentials.json().path("credentials").findValuesAsText("credentialId")).contains(credentialId);
    }

    /** Bob is a registered holder (his own requests are answered), but not alice. */
    @Test
    void bobsKeyIsForbiddenAlicesInbox() {
        URI gateway = platform.gatewayUrl();
        await("bob's registration known to the gateway").atMost(WAIT).untilAsserted(() -> {
            Answer own = signedGet(bobKeys, gateway.resolve("/v1/holders/bob/inbox"));
            assertThat(own.status()).as(own.body()).isEqualTo(200);
        });

        Answer answer = signedGet(bobKeys, gateway.resolve("/v1/holders/alice/inbox"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("forbidden");
    }

    @Test
    void aReplayedRequestIsRefused() {
        HttpRequest request = SignedHttp.get(aliceKeys,
                platform.gatewayUrl().resolve("/v1/holders/alice/credentials"));
        Answer first = send(request);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        Answer replayed = send(request);

        assertThat(replayed.status()).as(replayed.body()).isEqualTo(401);
        assertThat(replayed.errorCode()).isEqualTo("replayed-nonce");
    }

    /**
     * A second instance joins the platform's gateway application. A holder whose partition the second instance owns
     * asks the platform's instance, which verifies her request and forwards it to the second, which answers.
     */
    @Test
    void thePlatformsInstanceForwardsAHolderOfTheSecondInstanceToIt() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(GatewayConfig.BOOTSTRAP_SERVERS, platform.bootstrapServers());
        settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, platform.schemaRegistryUrl());
        settings.put(GatewayConfig.STATE_DIR, dir.resolve("second-gateway").toString());
        settings.put(GatewayConfig.OPERATOR_KEYS, HexFormat.of().formatHex(platform.operatorKey().publicKey()));
        settings.put(GatewayConfig.PORT, 0);
        try (GatewayInstance second = GatewayInstance.start(new GatewayConfig(settings), WAIT)) {
            String carolId = await("a holder id whose partition the second instance owns").atMost(WAIT)
                    .until(() -> IntStream.range(0, 32).mapToObj(i -> "carol-" + i)
                            .filter(id -> ownedBy(second, id)).findFirst(), Optional::isPresent).orElseThrow();
            // Carol reaches the platform through the gateway, which answers 503 until both instances have settled the
            // second one's joining.
            await("both instances answering for alice").atMost(WAIT).untilAsserted(() -> {
                for (URI instance : List.of(platform.gatewayUrl(), second.url())) {
                    Answer inbox = signedGet(aliceKeys, instance.resolve("/v1/holders/alice/inbox"));
                    assertThat(inbox.status()).as(instance + ": " + inbox.body()).isEqualTo(200);
                }
            });
            Identity carolKeys = Identity.create(keys, carolId, "holder");
            String carolsRequest;
            try (HolderClient carol = StoryClients.holder(platform, carolKeys)) {
                carol.register("Carol");
                StoryClients.allowToWrite(carol, story.issuer, List.of("kyc"));
                String credential = story.issuer.issue(carolId, "kyc", Map.of("country", "FR"), 0L);
                carol.awaitCredential(credential, WAIT);
                carolsRequest = story.exchange.requestCredential(carolId, credential, List.of("country"),
                        "onboarding");
                carol.awaitPending(carolsRequest, WAIT);
            }

            await(carolId + "'s inbox through the platform's instance").atMost(WAIT).untilAsserted(() -> {
                Answer inbox = signedGet(carolKeys, platform.gatewayUrl().resolve("/v1/holders/" + carolId
                        + "/inbox"));
                assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
                assertThat(inbox.json().path("requests").findValuesAsText("requestId"))
                        .containsExactly(carolsRequest);
            });
            assertThat(ownedBy(second, carolId)).as("the second instance still owns " + carolId).isTrue();
        }
        // Once the second instance has left, the platform's gateway owns every partition again; until then it answers
        // 503 for a holder whose partition the second held, which the tests that run after this one do not expect.
        await("alice's partition on the platform's gateway").atMost(WAIT).untilAsserted(() -> {
            Answer inbox = signedGet(aliceKeys, platform.gatewayUrl().resolve("/v1/holders/alice/inbox"));
            assertThat(inbox.status()).as(inbox.body()).isEqualTo(200);
        });
    }

    private static boolean ownedBy(GatewayInstance instance, String holderId) {
        return instance.app().views().ownerOf(holderId).map(Owner::local).orElse(false);
    }

    private static Answer signedGet(Identity signer, URI uri) {
        return send(SignedHttp.get(signer, uri));
    }
}
