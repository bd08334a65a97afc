package io.idstream.bench.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallBudgetTest {
    private long now = 1_000;
    private final List<Long> sleeps = new ArrayList<>();
    private final CallBudget budget = new CallBudget(3, Duration.ofNanos(100), () -> now, nanos -> {
        sleeps.add(nanos);
        now += nanos;
    });

    @Test
    void callsWithinTheBudgetDoNotWait() {
        budget.take();
        now += 10;
        budget.take();
        now += 10;
        budget.take();

        assertThat(sleeps).isEmpty();
    }

    @Test
    void theCallPastTheBudgetWaitsUntilTheOldestLeavesTheWindow() {
        budget.take();
        now += 10;
        budget.take();
        now += 10;
        budget.take();
        now += 10;

        budget.take();

        // The first call was at 1,000: the fourth may go at 1,100, 70 ns after it asked.
        assertThat(sleeps).containsExactly(70L);
        assertThat(now).isEqualTo(1_100);
    }

    @Test
    void noWindowEverHoldsMoreThanTheBudget() {
        List<Long> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            budget.take();
            calls.add(now);
            now += 7;
        }

        for (int i = 3; i < calls.size(); i++) {
            assertThat(calls.get(i) - calls.get(i - 3)).as("call %d and the third before it", i)
                    .isGreaterThanOrEqualTo(100);
        }
    }
}
