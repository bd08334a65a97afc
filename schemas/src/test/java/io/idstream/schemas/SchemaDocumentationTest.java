package io.idstream.schemas;

import io.idstream.avro.NoticeKind;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaDocumentationTest {
    private static final Path AVRO_DIR = Path.of("src/main/avro");

    @Test
    void everyRecordEnumAndFieldHasADoc() throws IOException {
        List<String> undocumented = new ArrayList<>();
        for (Schema schema : allSchemas()) {
            if (isBlank(schema.getDoc())) {
                undocumented.add(schema.getFullName());
            }
            if (schema.getType() == Schema.Type.RECORD) {
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        undocumented.add(schema.getName() + "." + field.name());
                    }
                }
            }
        }
        assertThat(undocumented).as("records and fields without a doc").isEmpty();
    }

    @Test
    void everyRecordOfTheDesignExists() throws IOException {
        Set<String> names = new TreeSet<>();
        allSchemas().forEach(s -> names.add(s.getName()));
        assertThat(names).contains("CredentialIssued", "CredentialRevoked", "StoredCredential", "AccessRequest",
                "Grant", "Denial", "Revocation", "Erasure", "CredentialDelivery", "GrantTerms", "ConsumerNotice",
                "PendingRequest", "HolderNotice", "InboxEvent", "AccessAudit", "Principal", "Accreditation");
    }

    @Test
    void consumerNoticesCoverEveryKindADeliveryTopicCarries() {
        assertThat(NoticeKind.values()).extracting(Enum::name)
                .contains("PENDING", "DENIED", "REVOKED", "EXPIRED", "ERASED");
    }

    /** Every named schema in the source files, nested ones included, parsed the way the build parses them. */
    private static List<Schema> allSchemas() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> common = Files.list(AVRO_DIR.resolve("common"));
             Stream<Path> rest = Files.list(AVRO_DIR)) {
            common.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(files::add);
            rest.filter(p -> p.toString().endsWith(".avsc")).sorted().forEach(files::add);
        }
        // Files refer to each other by name; parse until every one resolves.
        List<Path> pending = new ArrayList<>(files);
        for (int round = 0; round < files.size() && !pending.isEmpty(); round++) {
            List<Path> failed = new ArrayList<>();
            for (Path file : pending) {
                try {
                    parser.parse(file.toFile());
                } catch (AvroRuntimeException e) {
                    failed.add(file);
                }
            }
            pending = failed;
        }
        assertThat(pending).as("schema files that do not parse").isEmpty();
        return new ArrayList<>(parser.getTypes().values());
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
