package io.idstream.bench.pipeline;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentilesTest {

    @Test
    void nearestRankOfAThousandSamplesInAnyOrder() {
        // 1..1000 ms, shuffled by a stride coprime to 1000, so that sorting matters.
        long[] nanos = LongStream.range(0, 1000).map(i -> ((i * 379) % 1000 + 1) * 1_000_000).toArray();

        Percentiles percentiles = Percentiles.ofNanos(nanos);

        assertThat(percentiles.count()).isEqualTo(1000);
        assertThat(percentiles.p50Ms()).isEqualTo(500.0);
        assertThat(percentiles.p99Ms()).isEqualTo(990.0);
        assertThat(percentiles.maxMs()).isEqualTo(1000.0);
    }

    @Test
    void p99OfFewerThanAHundredSamplesIsTheLargest() {
        long[] nanos = {3_000_000, 1_000_000, 2_000_000};

        Percentiles percentiles = Percentiles.ofNanos(nanos);

        assertThat(percentiles.p50Ms()).isEqualTo(2.0);
        assertThat(percentiles.p99Ms()).isEqualTo(3.0);
    }

    @Test
    void aSingleOutlierInFiveHundredStaysAboveP99() {
        long[] nanos = LongStream.range(0, 500).map(i -> i == 250 ? 900_000_000L : 1_000_000L).toArray();

        Percentiles percentiles = Percentiles.ofNanos(nanos);

        assertThat(percentiles.p99Ms()).isEqualTo(1.0);
        assertThat(percentiles.maxMs()).isEqualTo(900.0);
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(() -> Percentiles.ofNanos(new long[0])).hasMessage("no samples");
    }
}
