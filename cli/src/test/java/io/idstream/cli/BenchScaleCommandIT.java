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
 * The scale benchmark's smoke run, as CI runs it: 10,000 holders on a platform in a second JVM. Its speed is not
 * asserted (a shared CI machine proves nothing about it); what is: the platform took the whole population (the
 * loaded counts are what the processors accepted, and equal what was asked), every figure of the report is there
 * and plausible, and a holder's directory entry sits in her own partition's task, not in every instance's global
 * store.
 */
@Timeout(300)
class BenchScaleCommandIT {
    private static final int HOLDERS = 10_000;
    private static final int CONSUMERS = 20;
    private static final int ISSUERS = 5;

    @TempDir
    Path dir;

    @Test
    void smokeRunLoadsWhatWasAskedAndReportsEveryFigure() throws Exception {
        Path out = dir.resolve("results").resolve("scale.json");
        CliRun bench = CliRun.of("bench", "--scale", "--quick", "--holders", Integer.toString(HOLDERS),
                "--consumers", Integer.toString(CONSUMERS), "--issuers", Integer.toString(ISSUERS), "--credentials",
                Integer.toString(HOLDERS), "--baseline-holders", "0", "--out", out.toString());

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        JsonNode results = new ObjectMapper().readTree(out.toFile());
        assertThat(results.get("command").asText()).as("the command line is recorded with its results")
                .contains("bench --scale --quick --holders 10000");
        assertThat(results.get("runs")).hasSize(1);
        JsonNode run = results.get("runs").get(0);
        assertThat(run.get("loaded_holders").asInt()).isEqualTo(HOLDERS);
        assertThat(run.get("consumers").asInt()).isEqualTo(CONSUMERS);
        assertThat(run.get("issuers").asInt()).isEqualTo(ISSUERS);
        assertThat(run.get("credentials").asInt()).isEqualTo(HOLDERS);
        assertThat(run.get("load_records").asLong()).as("a registration, a consent and a credential per holder, "
                + "and each issuer's and consumer's registration and the issuers' accreditations")
                .isGreaterThanOrEqualTo(3L * (HOLDERS - 100));
        for (String figure : List.of("load_s", "load_records_per_sec", "deliveries_per_sec", "cpu_us_per_delivery",
                "request_p50_ms", "request_p99_ms", "approval_p50_ms", "approval_p99_ms", "peak_rss_mb", "rss_mb",
                "directory_state_bytes_per_holder", "broker_bytes_per_holder", "restart_wiped_ready_s",
                "restart_wiped_answered_s")) {
            assertThat(run.get(figure)).as(figure).isNotNull();
            assertThat(run.get(figure).asDouble()).as(figure).isPositive();
        }
        assertThat(run.get("delivered").asInt()).isEqualTo(run.get("requests").asInt());
        assertThat(run.get("verify_failures").asInt()).isZero();
        assertThat(run.get("restart_wiped_answered").asInt()).as("every cast holder answered after the wipe")
                .isEqualTo(run.get("restart_wiped_requests").asInt());
        assertThat(run.get("restart_wiped_answered_s").asDouble()).isGreaterThanOrEqualTo(
                run.get("restart_wiped_ready_s").asDouble());
        // Holders' entries are in their partitions' tasks: each task holds a share, none holds them all.
        assertThat(run.get("directory_state_tasks").asInt()).isEqualTo(run.get("partitions").asInt());
        assertThat(run.get("directory_state_task_max_bytes").asLong())
                .isLessThan(run.get("directory_state_bytes").asLong() / 2);
        assertThat(run.get("global_directory_bytes").asLong()).as("issuers and consumers only")
                .isPositive().isLessThan(run.get("directory_state_bytes").asLong());
        assertThat(Files.readString(out.resolveSibling("scale.md"))).contains("| 10,000 holders |",
                "verified deliveries/s", "broker disk; per holder", "restart, state wiped");
    }
}
