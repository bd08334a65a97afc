package io.idstream.cli;

import io.idstream.cli.client.KeyPassphrase;
import io.idstream.platform.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 * Passphrase-encrypted keys through the command line as a user runs it, in a process of its own with no terminal:
 * {@code identity create --encrypt} takes the passphrase from {@code IDSTREAM_KEY_PASSPHRASE} and writes encrypted
 * keys; every command that uses them takes it from there too; a wrong or missing passphrase, and a key file others
 * can read, is one line on stderr and exit code 1; the passphrase is never printed.
 */
@Timeout(180)
class EncryptedKeysIT {
    private static final Path JAR = Path.of("target/idstream.jar");
    private static final String PASSPHRASE = "Quokka-Passphrase-4417";

    @TempDir
    static Path dir;
    static Platform platform;
    static Path keys;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(dir);
        keys = dir.resolve("keys");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void createEncryptTakesThePassphraseFromTheEnvironmentAndEveryCommandOpensTheKeysWithIt() throws Exception {
        Run created = idstream(PASSPHRASE, "identity", "create", "--encrypt", "--role", "holder", "--id", "carol");
        assertThat(created.exitCode).as("exit code; stderr: %s", created.err).isZero();
        assertThat(created.out.strip()).isEqualTo("carol");
        for (String file : List.of("signing.pem", "encryption.pem")) {
            Path key = keys.resolve("carol").resolve(file);
            assertThat(Files.readString(key)).as(file).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }

        Run inbox = idstream(PASSPHRASE, "inbox", "--holder", "carol");
        assertThat(inbox.exitCode).as("exit code; stderr: %s", inbox.err).isZero();

        Run wrong = idstream("not-" + PASSPHRASE, "inbox", "--holder", "carol");
        assertThat(wrong.exitCode).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(wrong.err.lines().toList()).singleElement().asString()
                .startsWith("idstream inbox: the keys of 'carol' in " + keys.resolve("carol") + " are unusable: ")
                .contains("wrong passphrase");

        Run missing = idstream(null, "inbox", "--holder", "carol");
        assertThat(missing.exitCode).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(missing.err.lines().toList()).containsExactly("idstream inbox: the keys of 'carol': encrypted, "
                + "and there is no terminal to ask for the passphrase on: set " + KeyPassphrase.ENVIRONMENT_VARIABLE);

        for (Run run : List.of(created, inbox, wrong, missing)) {
            assertThat(run.out + run.err).as("what %s printed", run.args).doesNotContain(PASSPHRASE)
                    .doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void createEncryptWithoutAPassphraseWritesNoKey() throws Exception {
        Run run = idstream(null, "identity", "create", "--encrypt", "--role", "holder", "--id", "dave");

        assertThat(run.exitCode).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(run.err.lines().toList()).containsExactly("idstream identity create: --encrypt needs a "
                + "passphrase: set " + KeyPassphrase.ENVIRONMENT_VARIABLE + " (there is no terminal to ask on)");
        assertThat(keys.resolve("dave")).doesNotExist();
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedInOneLineNamingTheFix() throws Exception {
        Run created = idstream(null, "identity", "create", "--role", "holder", "--id", "erin");
        assertThat(created.exitCode).as("exit code; stderr: %s", created.err).isZero();
        Path signing = keys.resolve("erin/signing.pem");
        Files.setPosixFilePermissions(signing, PosixFilePermissions.fromString("rw-r--r--"));

        Run inbox = idstream(null, "inbox", "--holder", "erin");

        assertThat(inbox.exitCode).isEqualTo(IdstreamCommand.EXIT_FAILED);
        assertThat(inbox.err.lines().toList()).containsExactly("idstream inbox: the keys of 'erin' in "
                + keys.resolve("erin") + " are unusable: " + signing + " has mode 644 (rw-r--r--): its group or "
                + "others may read or replace this private key; run chmod 600 " + signing);
    }

    /** The built jar run as a user would, with {@code passphrase} in the environment unless it is null. */
    private static Run idstream(String passphrase, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the runnable jar built by 'mvn package'").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        // Only holders' commands run here: they reach the platform through its gateway.
        command.addAll(List.of("--gateway-url", platform.gatewayUrl().toString(), "--keys", keys.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(Files.createTempFile(dir, "out", ".txt").toFile())
                .redirectError(Files.createTempFile(dir, "err", ".txt").toFile());
        builder.environment().remove(KeyPassphrase.ENVIRONMENT_VARIABLE);
        if (passphrase != null) {
            builder.environment().put(KeyPassphrase.ENVIRONMENT_VARIABLE, passphrase);
        }
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(List.of(args) + " did not end within 60 s");
        }
        return new Run(List.of(args), process.exitValue(),
                Files.readString(builder.redirectOutput().file().toPath(), StandardCharsets.UTF_8),
                Files.readString(builder.redirectError().file().toPath(), StandardCharsets.UTF_8));
    }

    private record Run(List<String> args, int exitCode, String out, String err) {
    }
}
