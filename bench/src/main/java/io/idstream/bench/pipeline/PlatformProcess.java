package io.idstream.bench.pipeline;

import io.idstream.platform.Platform;
import io.idstream.platform.PlatformConfig;
import io.idstream.platform.Ports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform under test, in a JVM of its own so that its CPU time and memory are its alone: {@link #main} runs
 * it until its stdin closes; {@link #start} launches that JVM and reads its CPU time and RSS from /proc.
 */
final class PlatformProcess implements AutoCloseable {
    private static final String WITH_GATEWAY = "gateway";
    private final Process process;
    final String bootstrapServers;
    final String schemaRegistryUrl;
    /** The holder gateway's HTTP API, or null when the platform runs without one. */
    final URI gatewayUrl;
    final Path dataDir;
    private final boolean keepData;
    /** Seconds from launching the JVM to the platform's ready line: broker, registry and processors RUNNING. */
    final double startSeconds;

    private PlatformProcess(Process process, Map<String, String> settings, Path dataDir, boolean keepData,
                            double startSeconds) {
        this.startSeconds = startSeconds;
        this.process = process;
        this.bootstrapServers = settings.get("bootstrap.servers");
        this.schemaRegistryUrl = settings.get("schema.registry.url");
        this.gatewayUrl = settings.containsKey("gateway.url") ? URI.create(settings.get("gateway.url")) : null;
        this.dataDir = dataDir;
        this.keepData = keepData;
    }

    /**
     * The child's entry point: args are data dir, the first Kafka port, the number of Kafka nodes, then {@code
     * gateway} to run the holder gateway too, and any {@code key=value} platform setting (the topics' partition
     * count, the processors' Kafka Streams settings).
     */
    public static void main(String[] args) throws IOException {
        Map<String, Object> settings = new HashMap<>();
        boolean gateway = false;
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq > 0) {
                settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            } else {
                gateway |= args[i].equals(WITH_GATEWAY);
            }
        }
        settings.put(PlatformConfig.DATA_DIR, args[0]);
        settings.put(PlatformConfig.KAFKA_PORT, Integer.parseInt(args[1]));
        settings.put(PlatformConfig.REGISTRY_PORT, 0);
        settings.put(PlatformConfig.NODES, Integer.parseInt(args[2]));
        settings.put(PlatformConfig.GATEWAY_ENABLED, gateway);
        settings.put(PlatformConfig.GATEWAY_PORT, 0);
        try (Platform platform = Platform.start(new PlatformConfig(settings))) {
            System.out.println("bootstrap.servers=" + platform.bootstrapServers());
            System.out.println("schema.registry.url=" + platform.schemaRegistryUrl());
            if (gateway) {
                System.out.println("gateway.url=" + platform.gatewayUrl());
            }
            System.out.println("ready");
            System.out.flush();
            // Runs until the benchmark closes our stdin (or dies, which closes it too).
            while (System.in.read() >= 0) {
                continue;
            }
        }
    }

    /**
     * Starts the platform on a free port, with its data in {@code keptDataDir}, or, when that is null, in a new
     * temporary directory that {@link #close} deletes.
     */
    static PlatformProcess start(String heap, Path keptDataDir) throws IOException {
        return start(heap, keptDataDir, List.of());
    }

    /** The same, with more options for the platform's JVM. */
    static PlatformProcess start(String heap, Path keptDataDir, List<String> jvmOptions) throws IOException {
        return start(heap, keptDataDir, jvmOptions, false);
    }

    /** The same, running the holder gateway as well when {@code withGateway} (on a free port of 127.0.0.1). */
    static PlatformProcess start(String heap, Path keptDataDir, List<String> jvmOptions, boolean withGateway)
            throws IOException {
        return start(heap, keptDataDir, jvmOptions, withGateway, 1);
    }

    /** The same, on {@code nodes} Kafka nodes (on consecutive free ports of 127.0.0.1). */
    static PlatformProcess start(String heap, Path keptDataDir, List<String> jvmOptions, boolean withGateway,
                                 int nodes) throws IOException {
        return start(heap, keptDataDir, jvmOptions, withGateway, nodes, Map.of());
    }

    /**
     * The same, with platform settings passed through to it ({@link PlatformConfig}'s keys, the topics' partition
     * count, and Kafka Streams keys, which reach the processors).
     */
    static PlatformProcess start(String heap, Path keptDataDir, List<String> jvmOptions, boolean withGateway,
                                 int nodes, Map<String, String> platformSettings) throws IOException {
        int kafkaPort = Ports.freeConsecutivePorts(nodes);
        List<String> args = new ArrayList<>();
        if (withGateway) {
            args.add(WITH_GATEWAY);
        }
        platformSettings.forEach((key, value) -> args.add(key + "=" + value));
        if (keptDataDir != null) {
            Files.createDirectories(keptDataDir);
            return launch(keptDataDir, kafkaPort, nodes, heap, jvmOptions, true, args);
        }
        Path dataDir = Files.createTempDirectory("idstream-bench");
        try {
            return launch(dataDir, kafkaPort, nodes, heap, jvmOptions, false, args);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dataDir);
            throw e;
        }
    }

    private static PlatformProcess launch(Path dataDir, int kafkaPort, int nodes, String heap,
                                          List<String> jvmOptions, boolean keepData, List<String> platformArgs)
            throws IOException {
        long launched = System.nanoTime();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(jvmOptions);
        // For profiling the platform, e.g. IDSTREAM_BENCH_PLATFORM_OPTS=-XX:StartFlightRecording=filename=p.jfr
        String extra = System.getenv("IDSTREAM_BENCH_PLATFORM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PlatformProcess.class.getName(),
                dataDir.toString(), Integer.toString(kafkaPort), Integer.toString(nodes)));
        command.addAll(platformArgs);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        Map<String, String> settings = new HashMap<>();
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                settings.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (line == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the platform process did not start (exit code "
                    + waitFor(process) + ")");
        }
        if (settings.getOrDefault("bootstrap.servers", "").split(",").length != nodes) {
            process.destroyForcibly();
            throw new IllegalStateException("the platform process runs Kafka on " + settings.get("bootstrap.servers")
                    + ", not on " + nodes + " nodes");
        }
        return new PlatformProcess(process, settings, dataDir, keepData, (System.nanoTime() - launched) / 1e9);
    }

    /** User plus system CPU time of the platform process so far, in seconds. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / (double) CLOCK_TICKS;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the platform's CPU time: " + e.getMessage(), e);
        }
    }

    /** Resident set size of the platform process now, in MiB. */
    double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the platform's RSS: " + e.getMessage(), e);
        }
        return 0;
    }

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture Java runs on. */
    private static final int CLOCK_TICKS = 100;

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
        if (!keepData) {
            deleteQuietly(dataDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is no failure of the benchmark.
        }
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
