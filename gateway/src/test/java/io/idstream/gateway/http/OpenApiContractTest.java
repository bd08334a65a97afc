package io.idstream.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.idstream.avro.ConsentRequest;
import io.idstream.avro.CredentialIssued;
import io.idstream.avro.DecisionEvent;
import io.idstream.avro.Principal;
import io.idstream.gateway.http.SignedClient.Answer;
import io.idstream.gateway.http.TestHolders.Holder;
import io.idstream.gateway.views.HolderViews.ActiveGrant;
import io.idstream.gateway.views.HolderViews.AuditEntry;
import io.idstream.mapping.AvroJson;
import io.idstream.mapping.DecisionRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.idstream.gateway.http.InMemoryHolderViews.listOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAPI document against the running server: every route, with its answers and its refusals, is called; each
 * answer's status must be documented for its route and its content type and body must validate against the
 * document's schema (JSON Schema 2020-12); every documented answer must have been seen; and the document's routes and
 * record schemas must be the server's and the Avro records'.
 */
class OpenApiContractTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = SignedClient.MAPPER;
    static final String UNROUTED = "(no route)";
    static final String NOT_CANONICAL = "(path not canonical)";

    final TestClock clock = new TestClock(TestHolders.NOW);
    final Holder alice = Holder.create("alice");
    final Holder bob = Holder.create("bob");
    final InMemoryHolderViews views = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final InMemoryHolderViews rebalancing = new InMemoryHolderViews().with(alice.verified()).with(bob.verified());
    final SignedClient client = new SignedClient(clock);
    final CredentialIssued credential = alice.credential();
    final ConsentRequest consentRequest = alice.consentRequest();
    final List<Exchange> exchanges = new ArrayList<>();
    JsonNode document;
    EventStreams events;
    GatewayServer server;
    GatewayServer limited;
    GatewayServer rebalancingServer;

    /** One answer seen, under the documented route (method and template) it answered. */
    record Exchange(String method, String template, Answer answer) {
    }

    @BeforeEach
    void start() throws IOException {
        try (InputStream yaml = GatewayServer.class.getResourceAsStream(GatewayServer.OPENAPI_RESOURCE)) {
            document = YAML.readTree(yaml);
        }
        GatewayLimits limits = GatewayLimits.defaults();
        events = new EventStreams(limits);
        server = GatewayServer.start("127.0.0.1", 0, views, new RecordingHolderWrites(), events, clock, limits);
        limited = GatewayServer.start("127.0.0.1", 0, views, new RecordingHolderWrites(), new EventStreams(limits),
                clock, limits.withNoncesPerHolder(1));
        rebalancing.owner = Optional.empty();
        rebalancingServer = GatewayServer.start("127.0.0.1", 0, rebalancing, new RecordingHolderWrites(),
                new EventStreams(limits), clock, limits);
        views.inboxes.put("alice", listOf(alice.pending(credential)));
        views.credentials.put("alice", listOf(alice.stored(credential)));
        views.grants.put("alice", listOf(new ActiveGrant(alice.grant(credential), 1)));
        views.audits.put("alice", List.of(alice.audit("g-1"), alice.audit("g-2")));
        views.writeGrants.put("alice", listOf(alice.writeGrant(consentRequest.getConsentRequestId())));
        views.consentRequests.put("alice", listOf(consentRequest));
        views.backups.put("alice", alice.storedBackup());
    }

    @AfterEach
    void stop() {
        server.close();
        limited.close();
        rebalancingServer.close();
    }

    @Test
    void theDocumentHasExactlyTheServersRoutes() {
        Set<String> documented = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        Set<String> served = new TreeSet<>();
        for (ApiRoute route : ApiRoute.values()) {
            served.add(route.method + " " + route.template);
        }

        assertThat(documented).isEqualTo(served);
    }

    @Test
    void theDocumentsRecordSchemasAreTheAvroRecordsJsonForm() {
        RecordJsonSchemas.all().forEach((name, schema) -> assertThat(document.at("/components/schemas/" + name))
                .as("components.schemas.%s", name).isEqualTo(schema));
    }

    @Test
    void everyRouteAnswersAsTheDocumentSaysAndEveryDocumentedAnswerIsSeen() throws IOException {
        Answer served = client.send(HttpRequest.newBuilder(uri(server, "/v1/openapi.yaml")).build());
        assertThat(served.body()).isEqualTo(new String(GatewayServer.openApiDocument(), StandardCharsets.UTF_8));
        record(ApiRoute.OPENAPI, served);
        for (ApiRoute route : ApiRoute.values()) {
            if (route == ApiRoute.FETCH_BACKUP) {
                callUnsignedWithItsRefusals(route);
            } else if (route != ApiRoute.OPENAPI) {
                callWithItsRefusals(route);
            }
        }
        exchanges.add(new Exchange("GET", UNROUTED, client.get(alice, uri(server, "/v1/holders/alice/wallet"))));
        exchanges.add(new Exchange("GET", NOT_CANONICAL, client.get(alice, uri(server, "/v1/holders/alice/inbox/"))));
        readEventsAsDocumented();

        for (Exchange exchange : exchanges) {
            assertAsDocumented(exchange);
        }
        Set<String> seen = exchanges.stream()
                .filter(e -> !e.template().equals(UNROUTED) && !e.template().equals(NOT_CANONICAL)
                        && !e.method().equals("DELETE"))
                .map(e -> e.method() + " " + e.template() + " " + e.answer().status())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(seen).as("every documented answer is called by this test").containsAll(documentedAnswers())
                .hasSameSizeAs(documentedAnswers());
    }

    private void callWithItsRefusals(ApiRoute route) {
        Holder signer = route == ApiRoute.REGISTER ? Holder.create("carol") : alice;
        String path = route.template.replace("{holderId}", "alice").replace("{principalId}", "bob")
                .replace("{credentialId}", credential.getCredentialId());
        byte[] body = switch (route) {
            case REGISTER -> json(AvroJson.toJson(signer.registration()));
            case DECISIONS -> json(AvroJson.toJson(new DecisionEvent(DecisionRecords.denial(alice.signing(),
                    "req-1", "alice", TestHolders.NOW))));
            case STORE_BACKUP -> backupBody(alice.backup());
            default -> null;
        };
        if (route != ApiRoute.EVENTS) {
            record(route, client.send(client.signed(signer, route.method, uri(server, path), body)));
        }
        record(route, client.send(HttpRequest.newBuilder(uri(server, path)).method(route.method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build()));
        record(route, client.send(client.signed(signer, route.method, uri(rebalancingServer, path), body)));
        HttpRequest first = route == ApiRoute.EVENTS
                ? client.signed(signer, "GET", uri(limited, "/v1/holders/alice/inbox"), null)
                : client.signed(signer, route.method, uri(limited, path), body);
        client.send(first);
        record(route, client.send(client.signed(signer, route.method, uri(limited, path), body)));
        exchanges.add(new Exchange("DELETE", route.template,
                client.send(client.signed(signer, "DELETE", uri(server, path), null))));
        if (path.startsWith("/v1/holders/alice")) {
            record(route, client.send(client.signed(bob, route.method, uri(server, path), body)));
        }
        switch (route) {
            case REGISTER -> {
                record(route, client.send(client.signed(signer, "POST", uri(server, path), json(AvroJson.toJson(
                        Principal.newBuilder(signer.registration()).setRole("consumer").build())))));
                record(route, client.send(client.signed(signer, "POST", uri(server, path), new byte[70_000])));
            }
            case DECISIONS -> {
                record(route, client.send(client.signed(signer, "POST", uri(server, path), "{}".getBytes(
                        StandardCharsets.UTF_8))));
                record(route, client.send(client.signed(signer, "POST", uri(server, path), new byte[70_000])));
            }
            case STORE_BACKUP -> {
                record(route, client.send(client.signed(signer, "PUT", uri(server, path), backupBody(bob.backup()))));
                record(route, client.send(client.signed(signer, "PUT", uri(server, path), new byte[5_000])));
            }
            case AUDIT -> {
                record(route, client.get(alice, uri(server, path + "?limit=0")));
                record(route, client.send(client.signed(signer, route.method, uri(server, path), new byte[70_000])));
            }
            case CREDENTIAL -> {
                record(route, client.get(alice, uri(server, "/v1/holders/alice/credentials/none")));
                record(route, client.send(client.signed(signer, route.method, uri(server, path), new byte[70_000])));
            }
            case PRINCIPAL -> {
                record(route, client.get(alice, uri(server, "/v1/principals/nobody")));
                record(route, client.send(client.signed(signer, route.method, uri(server, path), new byte[70_000])));
            }
            default -> record(route, client.send(client.signed(signer, route.method, uri(server, path),
                    new byte[70_000])));
        }
    }

    /** The one holder route without a signature: its answers, its pace, and the rest of its refusals. */
    private void callUnsignedWithItsRefusals(ApiRoute route) {
        String path = route.template.replace("{holderId}", "alice");
        for (int read = 0; read < LifecycleRoutes.BACKUP_READS_PER_HOUR + 1; read++) {
            record(route, client.send(HttpRequest.newBuilder(uri(server, path)).build()));
        }
        record(route, client.send(HttpRequest.newBuilder(uri(server, route.template.replace("{holderId}", "bob")))
                .build()));
        record(route, client.send(HttpRequest.newBuilder(uri(rebalancingServer, path)).build()));
        exchanges.add(new Exchange("DELETE", route.template,
                client.send(HttpRequest.newBuilder(uri(server, path)).DELETE().build())));
    }

    private static byte[] backupBody(byte[] backup) {
        return json(JSON.createObjectNode().put("backup", Base64.getUrlEncoder().withoutPadding()
                .encodeToString(backup)));
    }

    private void readEventsAsDocumented() {
        EventReader reader = EventReader.open(client.http,
                client.signed(alice, "GET", uri(server, "/v1/holders/alice/events"), null));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.openStreams() == 1);
        events.requestPending("alice", alice.pending(credential));
        events.consentRequested("alice", consentRequest);
        events.audited("alice", new AuditEntry(3, alice.audit("g-3")));
        events.grantChanged("alice", "g-1", new ActiveGrant(alice.grant(credential), 2));
        events.grantChanged("alice", "g-1", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.data("grant").size() == 2);
        reader.close();
        JsonNode documented = document.at("/paths/~1v1~1holders~1{holderId}~1events/get/responses/200/content")
                .get("text/event-stream").get("x-idstream-events");
        assertThat(documented.size()).isEqualTo(4);
        documented.properties().forEach(event -> {
            assertThat(reader.data(event.getKey())).as("%s events", event.getKey()).isNotEmpty();
            for (String data : reader.data(event.getKey())) {
                assertValid(event.getValue(), parse(data), "event " + event.getKey());
            }
        });
        exchanges.add(new Exchange("GET", ApiRoute.EVENTS.template, new Answer(reader.status, reader.contentType,
                "", null)));
    }

    private void assertAsDocumented(Exchange exchange) {
        String status = String.valueOf(exchange.answer().status());
        JsonNode response;
        if (exchange.template().equals(NOT_CANONICAL)) {
            response = document.at("/components/responses/BadRequest");
            assertThat(status).isEqualTo("400");
        } else if (exchange.template().equals(UNROUTED)) {
            response = document.at("/components/responses/NotFound");
            assertThat(status).isEqualTo("404");
        } else if (exchange.method().equals("DELETE")) {
            response = document.at("/components/responses/MethodNotAllowed");
            assertThat(status).as("DELETE %s", exchange.template()).isEqualTo("405");
        } else {
            JsonNode operation = document.get("paths").get(exchange.template()).get(exchange.method().toLowerCase());
            response = resolve(operation.get("responses").get(status));
            assertThat(response).as("%s %s answered %s: %s", exchange.method(), exchange.template(), status,
                    exchange.answer().body()).isNotNull();
        }
        if (!response.has("content")) {
            assertThat(exchange.answer().body()).as("%s %s %s has no content", exchange.method(), exchange.template(),
                    status).isEmpty();
            return;
        }
        String mediaType = exchange.answer().contentType().split(";")[0];
        JsonNode media = response.get("content").get(mediaType);
        assertThat(media).as("%s %s %s as %s", exchange.method(), exchange.template(), status, mediaType).isNotNull();
        if (mediaType.equals("application/json")) {
            assertValid(media.get("schema"), parse(exchange.answer().body()),
                    exchange.method() + " " + exchange.template() + " " + status);
        } else if (exchange.answer().response() != null) {
            assertValid(media.get("schema"), TextNode.valueOf(exchange.answer().body()), exchange.template());
        }
    }

    private void assertValid(JsonNode schema, JsonNode instance, String what) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", document.at("/components/schemas"));
        root.setAll((ObjectNode) schema);
        JsonNode rewritten = parse(root.toString().replace("#/components/schemas/", "#/$defs/"));
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(rewritten);
        Set<ValidationMessage> errors = validator.validate(instance);
        assertThat(errors).as("%s: %s", what, instance).isEmpty();
    }

    private Set<String> documentedAnswers() {
        Set<String> answers = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            path.getValue().properties().forEach(operation -> operation.getValue().get("responses")
                    .fieldNames().forEachRemaining(status -> {
                        // 500 answers a fault of the gateway's own, which no request is meant to cause.
                        if (!status.equals("500")) {
                            answers.add(operation.getKey().toUpperCase() + " " + path.getKey() + " " + status);
                        }
                    }));
        }
        return answers;
    }

    private JsonNode resolve(JsonNode node) {
        if (node != null && node.has("$ref")) {
            return document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private void record(ApiRoute route, Answer answer) {
        exchanges.add(new Exchange(route.method, route.template, answer));
    }

    private static URI uri(GatewayServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static byte[] json(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }
}
