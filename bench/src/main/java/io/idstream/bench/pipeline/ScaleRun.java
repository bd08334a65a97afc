package io.idstream.bench.pipeline;

import io.idstream.processors.StoreNames;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one scale run at one population size: the load, the measures of its cast under that population,
 * what the platform keeps on disk and in memory, and how long a restart takes to answer every holder of the cast,
 * with its state kept and with its state directory wiped.
 */
record ScaleRun(int holders, ScalePopulation.Figures population, int castHolders, int castConsumers,
                double castSetUpSeconds,
                SteadyStatePhase.Figures steady, ApprovalPhase.Figures approvals, double rssMb,
                StateSizes state, Map<String, Long> steadyLogGrowth, Restart keptRestart, Restart wipedRestart, int partitions, int streamThreads) {
    /**
     * A restart: seconds to the platform's ready line, and to the last of one request per cast holder answered.
     * {@code keptRestart} is null in a quick run, which does not measure it.
     */
    record Restart(double readySeconds, double answeredSeconds, int requests, int answered) {
    }

    /** True when every request of the measures and the restarts was answered and every sampled delivery verified. */
    boolean allAnswered() {
        return steady.delivered() == steady.requests() && steady.verifyFailures() == 0
                && (keptRestart == null || keptRestart.answered() == keptRestart.requests())
                && wipedRestart.answered() == wipedRestart.requests();
    }

    double directoryStateBytesPerHolder() {
        return state.store(StoreNames.DIRECTORY_STATE) / (double) holders;
    }

    /**
     * Log bytes the steady state added per delivery, before replication: over every topic, or over the topics whose
     * name ends with {@code .<topicSuffix>}.
     */
    double logBytesPerDelivery(String topicSuffix) {
        long bytes = steadyLogGrowth.entrySet().stream().filter(e -> topicSuffix == null
                || e.getKey().endsWith("." + topicSuffix)).mapToLong(Map.Entry::getValue).sum();
        return bytes / (double) Math.max(1, steady.delivered());
    }

    double brokerBytesPerHolder() {
        return state.kafkaBytes() / (double) holders;
    }

    /** Flat keys, as in the pipeline benchmark's results: counts as they are, measures to two decimals. */
    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("holders", holders);
        map.put("consumers", population.consumers() + castConsumers);
        map.put("issuers", population.issuers() + 1);
        map.put("credentials", population.credentials() + castHolders);
        map.put("loaded_holders", population.holders() + castHolders);
        map.put("partitions", partitions);
        map.put("stream_threads", streamThreads > 0 ? Integer.toString(streamThreads) : "default");
        map.put("load_records", population.records());
        map.put("load_s", round(population.seconds()));
        map.put("load_records_per_sec", round(population.recordsPerSec()));
        map.put("cast_set_up_s", round(castSetUpSeconds));
        map.put("deliveries_per_sec", round(steady.deliveriesPerSec()));
        map.put("cpu_us_per_delivery", round(steady.cpuUsPerDelivery()));
        map.put("requests", steady.requests());
        map.put("delivered", steady.delivered());
        map.put("verify_failures", steady.verifyFailures());
        map.put("request_p50_ms", round(steady.latency().p50Ms()));
        map.put("request_p99_ms", round(steady.latency().p99Ms()));
        map.put("approval_p50_ms", round(approvals.latency().p50Ms()));
        map.put("approval_p99_ms", round(approvals.latency().p99Ms()));
        map.put("approvals_verified", approvals.verified());
        map.put("approval_background_per_sec", round(approvals.backgroundPerSec()));
        map.put("peak_rss_mb", round(steady.peakRssMb()));
        map.put("rss_mb", round(rssMb));
        map.put("directory_state_bytes", state.store(StoreNames.DIRECTORY_STATE));
        map.put("directory_state_task_max_bytes", state.maxPerTask());
        map.put("directory_state_task_min_bytes", state.minPerTask());
        map.put("directory_state_tasks", state.perTaskBytes().size());
        map.put("global_directory_bytes", state.store("global:" + StoreNames.DIRECTORY_GLOBAL));
        map.put("directory_state_bytes_per_holder", round(directoryStateBytesPerHolder()));
        map.put("store_bytes", state.storeBytes());
        map.put("broker_bytes", state.kafkaBytes());
        map.put("broker_bytes_per_holder", round(brokerBytesPerHolder()));
        map.put("log_bytes_per_delivery", round(logBytesPerDelivery(null)));
        map.put("audit_log_bytes_per_delivery", round(logBytesPerDelivery("audit")));
        map.put("steady_log_growth_bytes", steadyLogGrowth);
        putRestart(map, "restart_kept", keptRestart);
        putRestart(map, "restart_wiped", wipedRestart);
        return map;
    }

    private static void putRestart(Map<String, Object> map, String prefix, Restart restart) {
        if (restart == null) {
            return;
        }
        map.put(prefix + "_ready_s", round(restart.readySeconds()));
        map.put(prefix + "_answered_s", round(restart.answeredSeconds()));
        map.put(prefix + "_answered", restart.answered());
        map.put(prefix + "_requests", restart.requests());
    }

    static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 100) / 100.0 : 0;
    }
}
