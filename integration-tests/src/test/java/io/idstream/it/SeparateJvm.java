package io.idstream.it;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the test's class path run in a JVM of its own, so that a test can kill it the way a machine dies
 * ({@link #kill}: SIGKILL, no shutdown hook runs) or stop it the way an operator does ({@link #stop}: SIGTERM, its
 * shutdown hooks run). Its stdout and stderr go to one log file, kept after the test to tell what the process did.
 */
public final class SeparateJvm {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final String name;

    private SeparateJvm(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    /** Starts {@code main} with {@code args}, its output in {@code log}; {@code jvmOptions} come before the class. */
    public static SeparateJvm start(String name, Class<?> main, Path log, List<String> jvmOptions, String... args)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SeparateJvm(process, log, name);
    }

    /** Waits until a line of the log contains {@code text}; fails early, with the log's name, if the JVM exits. */
    public void awaitLogLine(String text, Duration timeout) {
        Awaitility.await(name + " logs \"" + text + "\" (see " + log + ")").atMost(timeout)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                    }
                    // Bytes as Latin-1: a line cut in the middle of a UTF-8 sequence still reads.
                    return new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).contains(text);
                });
    }

    /** SIGKILL: the JVM dies at once, as on a power cut; returns once it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the JVM runs its shutdown hooks (a graceful stop); returns once it is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still runs " + EXIT_TIMEOUT + " after it was told to stop");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
