package io.idstream.platform.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.TestPlatforms;
import io.idstream.topics.TopicCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each endpoint of the embedded registry answers as Confluent's does: the status, the content type and the JSON
 * body a Confluent client parses. Requests are raw HTTP, as any client in any language would send them.
 */
@Timeout(180)
class SchemaRegistryContractIT {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_V1 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    /** Adds a field with a default: BACKWARD compatible with v1. */
    private static final String USER_V2 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
    /** Adds a field without a default: cannot read v1 data, so not BACKWARD compatible. */
    private static final String USER_BREAKING = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\"}]}";

    @TempDir
    static Path dataDir;
    static Map<String, Object> settings;
    static Platform platform;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        settings = TestPlatforms.settings(dataDir);
        platform = Platform.start(new PlatformConfig(settings));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void registerReturnsAnIdAndIsIdempotent(TestInfo test) throws Exception {
        String subject = subject(test);
        Reply first = post("/subjects/" + subject + "/versions", schemaBody(USER_V1));
        assertThat(first.status).isEqualTo(200);
        assertThat(first.contentType).isEqualTo(CONTENT_TYPE);
        int id = first.json.get("id").asInt();
        assertThat(first.json.size()).isEqualTo(1);

        Reply again = post("/subjects/" + subject + "/versions", schemaBody(USER_V1));
        assertThat(again.json.get("id").asInt()).isEqualTo(id);
        assertThat(get("/subjects/" + subject + "/versions").json).hasSize(1);

        // The same schema under another subject keeps its global id, as in Confluent's registry.
        Reply elsewhere = post("/subjects/" + subject + "-copy/versions", schemaBody(USER_V1));
        assertThat(elsewhere.json.get("id").asInt()).isEqualTo(id);
    }

    @Test
    void schemaByIdAndItsRawForm(TestInfo test) throws Exception {
        String subject = subject(test);
        int id = post("/subjects/" + subject + "/versions", schemaBody(USER_V1)).json.get("id").asInt();

        Reply byId = get("/schemas/ids/" + id);
        assertThat(byId.status).isEqualTo(200);
        assertThat(byId.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(JSON.readTree(byId.json.get("schema").asText())).isEqualTo(JSON.readTree(USER_V1));

        Reply raw = get("/schemas/ids/" + id + "/schema");
        assertThat(raw.status).isEqualTo(200);
        assertThat(raw.json).isEqualTo(JSON.readTree(USER_V1));

        assertThat(get("/schemas/ids/" + id + "/subjects").json.toString()).contains(subject);

        Reply missing = get("/schemas/ids/987654");
        assertError(missing, 404, 40403);
    }

    @Test
    void subjectsAndVersions(TestInfo test) throws Exception {
        String subject = subject(test);
        int id1 = post("/subjects/" + subject + "/versions", schemaBody(USER_V1)).json.get("id").asInt();
        int id2 = post("/subjects/" + subject + "/versions", schemaBody(USER_V2)).json.get("id").asInt();
        assertThat(id2).isNotEqualTo(id1);

        Reply subjects = get("/subjects");
        assertThat(subjects.status).isEqualTo(200);
        assertThat(subjects.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(subjects.json.isArray()).isTrue();
        assertThat(subjects.json.toString()).contains("\"" + subject + "\"");

        Reply versions = get("/subjects/" + subject + "/versions");
        assertThat(versions.json.toString()).isEqualTo("[1,2]");

        Reply latest = get("/subjects/" + subject + "/versions/latest");
        assertThat(latest.status).isEqualTo(200);
        assertThat(latest.json.get("subject").asText()).isEqualTo(subject);
        assertThat(latest.json.get("version").asInt()).isEqualTo(2);
        assertThat(latest.json.get("id").asInt()).isEqualTo(id2);
        assertThat(JSON.readTree(latest.json.get("schema").asText())).isEqualTo(JSON.readTree(USER_V2));

        Reply first = get("/subjects/" + subject + "/versions/1");
        assertThat(first.json.get("id").asInt()).isEqualTo(id1);
        assertThat(get("/subjects/" + subject + "/versions/1/schema").json).isEqualTo(JSON.readTree(USER_V1));

        assertError(get("/subjects/" + subject + "/versions/9"), 404, 40402);
        assertError(get("/subjects/" + subject + "/versions/zero"), 422, 42202);
        assertError(get("/subjects/no-such-subject/versions"), 404, 40401);
        assertError(get("/subjects/no-such-subject/versions/latest"), 404, 40401);
    }

    @Test
    void lookUpASchemaUnderASubject(TestInfo test) throws Exception {
        String subject = subject(test);
        int id = post("/subjects/" + subject + "/versions", schemaBody(USER_V1)).json.get("id").asInt();

        Reply found = post("/subjects/" + subject, schemaBody(USER_V1));
        assertThat(found.status).isEqualTo(200);
        assertThat(found.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(found.json.get("subject").asText()).isEqualTo(subject);
        assertThat(found.json.get("id").asInt()).isEqualTo(id);
        assertThat(found.json.get("version").asInt()).isEqualTo(1);
        assertThat(found.json.has("schema")).isTrue();

        assertError(post("/subjects/" + subject, schemaBody(USER_V2)), 404, 40403);
        assertError(post("/subjects/no-such-subject", schemaBody(USER_V1)), 404, 40401);
    }

    @Test
    void incompatibleSchemaIsRefusedWith409(TestInfo test) throws Exception {
        String subject = subject(test);
        post("/subjects/" + subject + "/versions", schemaBody(USER_V1));

        Reply refused = post("/subjects/" + subject + "/versions", schemaBody(USER_BREAKING));
        assertError(refused, 409, 409);
        assertThat(refused.json.get("message").asText()).contains("incompatible").contains(subject);
        assertThat(get("/subjects/" + subject + "/versions").json.toString()).isEqualTo("[1]");
    }

    @Test
    void invalidSchemaIsRefusedWith42201(TestInfo test) throws Exception {
        String subject = subject(test);
        assertError(post("/subjects/" + subject + "/versions", schemaBody("{\"type\":\"record\"}")), 422, 42201);
        assertError(post("/subjects/" + subject + "/versions",
                "{\"schema\":\"{}\",\"schemaType\":\"PROTOBUF\"}"), 422, 42201);
        assertError(post("/subjects/" + subject + "/versions", "not json"), 400, 400);
    }

    @Test
    void compatibilityTests(TestInfo test) throws Exception {
        String subject = subject(test);
        post("/subjects/" + subject + "/versions", schemaBody(USER_V1));

        Reply compatible = post("/compatibility/subjects/" + subject + "/versions/latest", schemaBody(USER_V2));
        assertThat(compatible.status).isEqualTo(200);
        assertThat(compatible.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(compatible.json.get("is_compatible").asBoolean()).isTrue();

        Reply incompatible = post("/compatibility/subjects/" + subject + "/versions/1?verbose=true",
                schemaBody(USER_BREAKING));
        assertThat(incompatible.json.get("is_compatible").asBoolean()).isFalse();
        assertThat(incompatible.json.get("messages").toString()).contains("email");

        Reply againstAll = post("/compatibility/subjects/" + subject + "/versions", schemaBody(USER_V2));
        assertThat(againstAll.json.get("is_compatible").asBoolean()).isTrue();

        assertError(post("/compatibility/subjects/" + subject + "/versions/7", schemaBody(USER_V2)), 404, 40402);
        assertError(post("/compatibility/subjects/no-such-subject/versions/latest", schemaBody(USER_V2)),
                404, 40401);
    }

    @Test
    void compatibilityConfigGlobalAndPerSubject(TestInfo test) throws Exception {
        String subject = subject(test);
        Reply global = get("/config");
        assertThat(global.status).isEqualTo(200);
        assertThat(global.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(global.json.get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        assertError(get("/config/" + subject), 404, 40408);
        assertThat(get("/config/" + subject + "?defaultToGlobal=true").json.get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");

        Reply set = put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
        assertThat(set.status).isEqualTo(200);
        assertThat(set.json.get("compatibility").asText()).isEqualTo("NONE");
        assertThat(get("/config/" + subject).json.get("compatibilityLevel").asText()).isEqualTo("NONE");

        // With NONE on this subject, the breaking change registers.
        post("/subjects/" + subject + "/versions", schemaBody(USER_V1));
        assertThat(post("/subjects/" + subject + "/versions", schemaBody(USER_BREAKING)).status).isEqualTo(200);

        assertError(put("/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertThat(get("/config").json.get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void unknownPathIs404WithAJsonBody() throws Exception {
        assertError(get("/no/such/path"), 404, 404);
    }

    @Test
    void knownPathWithAnotherMethodIs405() throws Exception {
        assertError(put("/subjects", "{}"), 405, 405);
    }

    @Test
    void softThenPermanentDeleteOfASubject(TestInfo test) throws Exception {
        String subject = subject(test);
        String v1 = ownSchema(test, "first");
        int id = post("/subjects/" + subject + "/versions", schemaBody(v1)).json.get("id").asInt();
        post("/subjects/" + subject + "/versions", schemaBody(ownSchema(test, "second")));

        assertThat(ok(delete("/subjects/" + subject)).toString()).isEqualTo("[1,2]");

        assertThat(ok(get("/subjects")).toString()).doesNotContain("\"" + subject + "\"");
        assertThat(get("/subjects?deleted=true").json.toString()).contains("\"" + subject + "\"");
        assertError(get("/subjects/" + subject + "/versions"), 404, 40401);
        assertThat(get("/subjects/" + subject + "/versions?deleted=true").json.toString()).isEqualTo("[1,2]");
        assertError(get("/subjects/" + subject + "/versions/1"), 404, 40401);
        assertThat(get("/subjects/" + subject + "/versions/1?deleted=true").json.get("id").asInt()).isEqualTo(id);
        assertError(post("/subjects/" + subject, schemaBody(v1)), 404, 40401);
        assertThat(post("/subjects/" + subject + "?deleted=true", schemaBody(v1)).json.get("version").asInt())
                .isEqualTo(1);
        // Soft-deleted schemas stay readable by id: data written with them must still deserialize.
        assertThat(get("/schemas/ids/" + id).status).isEqualTo(200);
        assertThat(ok(get("/schemas/ids/" + id + "/subjects")).toString()).isEqualTo("[]");
        assertThat(get("/schemas/ids/" + id + "/subjects?deleted=true").json.toString()).contains(subject);
        assertError(delete("/subjects/" + subject), 404, 40404);

        assertThat(ok(delete("/subjects/" + subject + "?permanent=true")).toString()).isEqualTo("[1,2]");
        assertThat(ok(get("/subjects?deleted=true")).toString()).doesNotContain("\"" + subject + "\"");
        assertError(get("/subjects/" + subject + "/versions?deleted=true"), 404, 40401);
        assertError(get("/schemas/ids/" + id), 404, 40403);
        assertError(delete("/subjects/" + subject + "?permanent=true"), 404, 40401);
    }

    @Test
    void permanentDeleteNeedsASoftDeleteFirst(TestInfo test) throws Exception {
        String subject = subject(test);
        post("/subjects/" + subject + "/versions", schemaBody(USER_V1));

        assertError(delete("/subjects/" + subject + "?permanent=true"), 404, 40405);
        assertError(delete("/subjects/" + subject + "/versions/1?permanent=true"), 404, 40407);
        assertError(delete("/subjects/no-such-subject"), 404, 40401);
        assertThat(get("/subjects/" + subject + "/versions").json.toString()).isEqualTo("[1]");
    }

    @Test
    void softAndPermanentDeleteOfVersions(TestInfo test) throws Exception {
        String subject = subject(test);
        post("/subjects/" + subject + "/versions", schemaBody(USER_V1));
        post("/subjects/" + subject + "/versions", schemaBody(USER_V2));

        assertThat(ok(delete("/subjects/" + subject + "/versions/2")).asInt()).isEqualTo(2);
        assertError(delete("/subjects/" + subject + "/versions/2"), 404, 40406);
        assertThat(get("/subjects/" + subject + "/versions").json.toString()).isEqualTo("[1]");
        assertThat(get("/subjects/" + subject + "/versions?deleted=true").json.toString()).isEqualTo("[1,2]");
        assertError(get("/subjects/" + subject + "/versions/2"), 404, 40402);
        assertThat(get("/subjects/" + subject + "/versions/2?deleted=true").json.get("version").asInt()).isEqualTo(2);
        assertThat(get("/subjects/" + subject + "/versions/latest").json.get("version").asInt()).isEqualTo(1);

        // A soft-deleted version keeps its number: the next registration is version 3.
        post("/subjects/" + subject + "/versions", schemaBody(USER_V2));
        assertThat(get("/subjects/" + subject + "/versions").json.toString()).isEqualTo("[1,3]");

        assertThat(delete("/subjects/" + subject + "/versions/2?permanent=true").json.asInt()).isEqualTo(2);
        assertThat(get("/subjects/" + subject + "/versions?deleted=true").json.toString()).isEqualTo("[1,3]");
        assertError(delete("/subjects/" + subject + "/versions/2?permanent=true"), 404, 40402);

        assertThat(delete("/subjects/" + subject + "/versions/latest").json.asInt()).isEqualTo(3);
        assertThat(get("/subjects/" + subject + "/versions").json.toString()).isEqualTo("[1]");
        assertError(delete("/subjects/" + subject + "/versions/zero"), 422, 42202);
    }

    @Test
    void deletingASubjectsCompatibilityFallsBackToTheGlobalOne(TestInfo test) throws Exception {
        String subject = subject(test);
        assertError(delete("/config/" + subject), 404, 40401);
        put("/config/" + subject, "{\"compatibility\":\"FULL\"}");

        assertThat(ok(delete("/config/" + subject)).get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertError(get("/config/" + subject), 404, 40408);
        assertThat(ok(get("/config/" + subject + "?defaultToGlobal=true")).get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
    }

    @Test
    void modeAndSchemaTypes() throws Exception {
        assertThat(ok(get("/mode")).get("mode").asText()).isEqualTo("READWRITE");
        assertThat(ok(get("/schemas/types")).toString()).isEqualTo("[\"AVRO\"]");
    }

    @Test
    void deletionsSurviveARestartInConfluentsRecordFormat(TestInfo test) throws Exception {
        String prefix = subject(test);
        String softSubject = prefix + "-soft";
        String hardSubject = prefix + "-hard";
        String versionSubject = prefix + "-version";
        post("/subjects/" + softSubject + "/versions", schemaBody(USER_V1));
        delete("/subjects/" + softSubject);
        int hardId = post("/subjects/" + hardSubject + "/versions", schemaBody(ownSchema(test, "hard")))
                .json.get("id").asInt();
        put("/config/" + hardSubject, "{\"compatibility\":\"NONE\"}");
        delete("/subjects/" + hardSubject);
        delete("/subjects/" + hardSubject + "?permanent=true");
        post("/subjects/" + versionSubject + "/versions", schemaBody(USER_V1));
        post("/subjects/" + versionSubject + "/versions", schemaBody(USER_V2));
        delete("/subjects/" + versionSubject + "/versions/2");
        put("/config/" + versionSubject, "{\"compatibility\":\"FULL\"}");
        delete("/config/" + versionSubject);

        Map<String, String> log = schemaLog();
        assertThat(log).containsEntry(
                "{\"keytype\":\"DELETE_SUBJECT\",\"subject\":\"" + softSubject + "\",\"magic\":0}",
                "{\"subject\":\"" + softSubject + "\",\"version\":1}");
        assertThat(log).containsEntry(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"" + hardSubject + "\",\"version\":1,\"magic\":1}", null);
        assertThat(log).containsEntry(
                "{\"keytype\":\"CONFIG\",\"subject\":\"" + hardSubject + "\",\"magic\":0}", null);
        assertThat(log).containsEntry(
                "{\"keytype\":\"CONFIG\",\"subject\":\"" + versionSubject + "\",\"magic\":0}", null);
        assertThat(JSON.readTree(log.get("{\"keytype\":\"SCHEMA\",\"subject\":\"" + versionSubject
                + "\",\"version\":2,\"magic\":1}")).get("deleted").asBoolean()).isTrue();

        platform.close();
        platform = Platform.start(new PlatformConfig(settings));

        assertThat(get("/subjects").json.toString()).doesNotContain(softSubject).doesNotContain(hardSubject)
                .contains(versionSubject);
        assertThat(get("/subjects?deleted=true").json.toString()).contains(softSubject).doesNotContain(hardSubject);
        assertError(delete("/subjects/" + softSubject), 404, 40404);
        assertError(get("/subjects/" + hardSubject + "/versions?deleted=true"), 404, 40401);
        assertError(get("/schemas/ids/" + hardId), 404, 40403);
        assertError(get("/config/" + hardSubject), 404, 40408);
        assertThat(get("/subjects/" + versionSubject + "/versions").json.toString()).isEqualTo("[1]");
        assertThat(get("/subjects/" + versionSubject + "/versions?deleted=true").json.toString()).isEqualTo("[1,2]");
        assertError(get("/config/" + versionSubject), 404, 40408);
    }

    private static String subject(TestInfo test) {
        return "contract-" + test.getTestMethod().orElseThrow().getName() + "-value";
    }

    /** A schema no other test registers, so its id is this test's alone; every field has a default. */
    private static String ownSchema(TestInfo test, String field) {
        return "{\"type\":\"record\",\"name\":\"" + test.getTestMethod().orElseThrow().getName()
                + "\",\"namespace\":\"test\",\"fields\":[{\"name\":\"" + field
                + "\",\"type\":\"string\",\"default\":\"\"}]}";
    }

    private static String schemaBody(String schema) {
        return JSON.createObjectNode().put("schema", schema).toString();
    }

    /** The body of a successful reply, after checking that it is one, in Confluent's content type. */
    private static JsonNode ok(Reply reply) {
        assertThat(reply.status).as("HTTP status of %s", reply.json).isEqualTo(200);
        assertThat(reply.contentType).isEqualTo(CONTENT_TYPE);
        return reply.json;
    }

    private static void assertError(Reply reply, int status, int errorCode) {
        assertThat(reply.status).as("HTTP status of %s", reply.json).isEqualTo(status);
        assertThat(reply.contentType).isEqualTo(CONTENT_TYPE);
        assertThat(reply.json.get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(reply.json.get("message").asText()).isNotBlank();
    }

    private static Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + path)).GET());
    }

    private static Reply post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + path))
                .header("Content-Type", CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Reply put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + path))
                .header("Content-Type", CONTENT_TYPE).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Reply delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(platform.schemaRegistryUrl() + path)).DELETE());
    }

    /** The schemas topic read to its end offset: the latest value per key (null for a tombstone). */
    private static Map<String, String> schemaLog() {
        TopicPartition partition = new TopicPartition(TopicCatalog.SCHEMAS_TOPIC, 0);
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), record.value());
                }
            }
        }
        return latest;
    }

    private static Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    private record Reply(int status, String contentType, JsonNode json) {
    }
}
