package io.idstream.cli;

import io.idstream.avro.CredentialIssued;
import io.idstream.avro.StoredCredential;
import io.idstream.crypto.Credentials;
import io.idstream.crypto.FieldCrypto;
import io.idstream.crypto.PrivateKeyFile;
import io.idstream.mapping.CredentialRecords;
import io.idstream.platform.Platform;
import io.idstream.sdk.HolderClient;
import io.idstream.sdk.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing in plaintext at rest: after the demo's story has run on a platform, the raw bytes of every log segment,
 * index, checkpoint and RocksDB file the platform wrote hold none of the issued values and none of the keys that
 * open them (the credential key and each field key).
 */
@Timeout(240)
class PrivacyAtRestIT {
    /** Values this short occur in any large enough binary file by chance, so they cannot be searched for. */
    static final int SHORTEST_SEARCHABLE_VALUE = 5;

    @TempDir
    Path dir;

    @Test
    void platformDataHoldsNoPlaintextValueAndNoFieldKey() throws IOException {
        // The fixture keeps the platform's data in dir/data.
        Path platformData = dir.resolve("data");
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        List<String> credentialIds = new ArrayList<>();
        try (Platform platform = TestPlatform.start(dir)) {
            Path operatorKey = dir.resolve("operator.pem");
            PrivateKeyFile.write(operatorKey, platform.operatorKey().toPem());
            StringWriter out = new StringWriter();
            CommandLine demo = IdstreamCommand.commandLine();
            demo.setOut(new PrintWriter(out, true));
            int exit = demo.execute("demo", "--data-dir", dir.resolve("demo").toString(),
                    "--bootstrap-servers", platform.bootstrapServers(),
                    "--schema-registry-url", platform.schemaRegistryUrl(), "--gateway-url",
                    platform.gatewayUrl().toString(), "--operator-key", operatorKey.toString());
            assertThat(exit).as("demo output: %s", out).isZero();

            Path keys = dir.resolve("demo/keys");
            String aliceId;
            try (Stream<Path> ids = Files.list(keys)) {
                aliceId = ids.map(p -> p.getFileName().toString()).filter(id -> id.startsWith("alice-"))
                        .findFirst().orElseThrow();
            }
            Identity alice = Identity.load(keys, aliceId);
            try (HolderClient holder = TestPlatform.holder(platform, alice)) {
                for (StoredCredential stored : holder.credentials().values()) {
                    collectKeys(alice, stored.getCredential(), secrets);
                    credentialIds.add(stored.getCredential().getCredentialId());
                }
            }
        }
        assertThat(secrets).as("the credential key and seven field keys").hasSize(8);
        List<String> searched = new ArrayList<>();
        DemoCommand.ALICE_KYC.forEach((name, value) -> {
            if (value.length() >= SHORTEST_SEARCHABLE_VALUE) {
                secrets.put("value of " + name, value.getBytes(StandardCharsets.UTF_8));
                searched.add(name);
            }
        });
        assertThat(searched).containsExactlyInAnyOrder("full_name", "birth_date", "document_number");

        List<Path> files;
        try (Stream<Path> walk = Files.walk(platformData)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("kafka segments and streams state were written")
                .anyMatch(p -> p.toString().endsWith(".log") && p.toString().contains("idstream.credentials"))
                .anyMatch(p -> p.toString().contains("/streams/"));
        // The control: ids are plaintext by design, so the scan must find the credential id, or it proves nothing.
        byte[] credentialId = credentialIds.get(0).getBytes(StandardCharsets.UTF_8);
        int filesWithTheId = 0;
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            if (indexOf(content, credentialId) >= 0) {
                filesWithTheId++;
            }
            for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
                assertThat(indexOf(content, secret.getValue())).as("%s found in %s", secret.getKey(), file)
                        .isEqualTo(-1);
            }
        }
        assertThat(filesWithTheId).as("files in which the scan finds the plaintext credential id").isPositive();
    }

    private static void collectKeys(Identity alice, CredentialIssued c, Map<String, byte[]> secrets) {
        byte[] credentialKey = Credentials.unwrapCredentialKey(alice.encryption(), CredentialRecords.header(c),
                CredentialRecords.holderKey(c));
        secrets.put("credential key", credentialKey);
        c.getFields().forEach(f -> secrets.put("field key of " + f.getName(),
                FieldCrypto.fieldKey(credentialKey, c.getCredentialId(), f.getName())));
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
