package io.idstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's smoke run, as CI runs it: a platform in a second JVM, every phase, every figure written. Its
 * figures are not asserted (a shared CI machine proves nothing about speed); that every request was delivered and
 * every sampled delivery verified is.
 */
@Timeout(180)
class BenchCommandIT {
    @TempDir
    Path dir;

    @Test
    void quickRunWritesEveryFigure() throws Exception {
        Path out = dir.resolve("results").resolve("quick.json");
        CliRun bench = CliRun.of("bench", "--quick", "--out", out.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(out.toFile());
        for (String key : List.of("deliveries_per_sec", "cpu_us_per_delivery", "ed25519_verify_us",
                "cpu_per_delivery_vs_verify", "request_p99_ms", "approval_p99_ms", "raw_kafka_per_sec",
                "grant_ms_1kb", "grant_ms_1mb", "copy_reencrypt_ms_1mb", "peak_rss_mb")) {
            assertThat(results.path(key).asDouble()).as(key).isPositive();
        }
        assertThat(results.path("delivered").asInt()).isEqualTo(results.path("requests").asInt()).isPositive();
        assertThat(results.path("verify_failures").asInt()).isZero();
        assertThat(results.path("verified_sample").asInt()).isPositive();
        assertThat(Files.readString(dir.resolve("results").resolve("quick.md")))
                .contains("| verified deliveries/s (steady state) |");
    }
}
