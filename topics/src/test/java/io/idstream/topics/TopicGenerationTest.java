package io.idstream.topics;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicGenerationTest {
    @Test
    void theRecordIsTheDocumentedTextExactly() {
        TopicGeneration grown = new TopicGeneration(1, 12);
        assertThat(new String(grown.encode(), StandardCharsets.UTF_8)).isEqualTo("{\"generation\":1,\"partitions\":12}");
        assertThat(TopicGeneration.decode(grown.encode())).contains(grown);
        assertThat(grown.next(24)).isEqualTo(new TopicGeneration(2, 24));
    }

    @Test
    void anyOtherShapeIsNoGeneration() {
        for (String other : new String[] {"{\"generation\": 1,\"partitions\":12}", "{\"generation\":1}",
                "{\"generation\":01,\"partitions\":12}", "{\"generation\":1,\"partitions\":0}",
                "{\"generation\":-1,\"partitions\":12}", "{\"generation\":1,\"partitions\":99999}",
                "{\"generation\":1,\"partitions\":12} ", "{\"partitions\":12,\"generation\":1}", ""}) {
            assertThat(TopicGeneration.decode(other.getBytes(StandardCharsets.UTF_8))).as(other).isEmpty();
        }
        assertThat(TopicGeneration.decode(null)).isEmpty();
        assertThatThrownBy(() -> new TopicGeneration(0, 0)).hasMessageContaining("partitions must be 1..10000");
    }

    @Test
    void resolvedSettingsNameTheGenerationAndItsCount() {
        Map<String, Object> resolved = TopicGenerations.withGeneration(Map.of(TopicCatalogConfig.PARTITIONS, "6",
                "bootstrap.servers", "127.0.0.1:9"), new TopicGeneration(3, 24));
        TopicCatalog catalog = TopicCatalog.create(resolved);
        assertThat(catalog.accessRequests().name()).isEqualTo("idstream.g3.access.requests");
        assertThat(catalog.partitions()).isEqualTo(24);
        assertThat(resolved).containsEntry("bootstrap.servers", "127.0.0.1:9");
    }
}
