package io.idstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator public key planted in {@code ./.idstream/data/operator/public.hex} of the directory a consumer runs
 * the command line in, by another user of a shared directory or by a repository that ships one, is not pinned: the
 * command refuses before it makes any key, naming the file and what is wrong with it.
 */
class PlantedOperatorKeyIT {
    private static final Path JAR = Path.of("target/idstream.jar");

    @TempDir
    Path dir;

    private Path plantedPublicKey() throws IOException {
        Path operator = Files.createDirectories(dir.resolve(".idstream/data/operator"));
        return Files.writeString(operator.resolve("public.hex"), "ab".repeat(32) + "\n");
    }

    @Test
    void aPublicKeyFileOthersCanWriteIsRefused() throws Exception {
        Path planted = plantedPublicKey();
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));

        Run create = idstream("identity", "create", "--role", "consumer", "--id", "carol");

        assertThat(create.exitCode).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(create.err.lines().toList()).singleElement().asString()
                .startsWith("idstream identity create: " + dir.resolve(".idstream/data/operator/public.hex")
                        + " is writable by its group or others")
                .contains("pass --operator-keys");
        assertThat(dir.resolve(".idstream/keys/carol")).doesNotExist();
    }

    @Test
    void againstAnotherKafkaEvenTheUsersOwnPublicKeyFileIsRefused() throws Exception {
        plantedPublicKey();

        Run create = idstream("identity", "create", "--role", "consumer", "--id", "carol",
                "--bootstrap-servers", "kafka.example:9092");

        assertThat(create.exitCode).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(create.err.lines().toList()).singleElement().asString()
                .contains(".idstream/data/operator/public.hex is the embedded platform's operator key, not "
                        + "trusted for Kafka at kafka.example:9092: pass --operator-keys");
        assertThat(dir.resolve(".idstream/keys/carol")).doesNotExist();
    }

    /** The built jar run as a user would, in {@link #dir}. */
    private Run idstream(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the runnable jar built by 'mvn package'").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Files.createTempFile("out", ".txt").toFile())
                .redirectError(Files.createTempFile("err", ".txt").toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(List.of(args) + " did not end within 60 s");
        }
        return new Run(process.exitValue(),
                Files.readString(builder.redirectError().file().toPath(), StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String err) {
    }
}
