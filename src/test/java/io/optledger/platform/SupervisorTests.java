package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

/** A supervised loop outlives whatever its passes throw, errors included, and even the death of its thread. */
class SupervisorTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Supervisor supervisor =
            new Supervisor(List.of(), meters, Clock.systemUTC(), new StandardEnvironment());

    @AfterEach
    void stop() {
        supervisor.stop();
    }

    @Test
    void aLoopKeepsRunningThroughAnExceptionAnOutOfMemoryErrorAndAStackOverflow() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        supervisor.start();
        supervisor.supervise(loop("thrower", () -> {
            switch (passes.incrementAndGet()) {
                case 1 -> throw new IllegalStateException("a bug");
                case 2 -> {
                    // a real one: larger than any heap may hold
                    long[] tooLarge = new long[Integer.MAX_VALUE];
                    return tooLarge.length > 0;
                }
                case 3 -> {
                    return recurse(0) > 0;
                }
                default -> {
                    return false;
                }
            }
        }));

        assertThat(within(Duration.ofSeconds(10), () -> passes.get() >= 5)).isTrue();
        Supervisor.LoopState state = state("thrower");
        assertThat(state.failures()).isEqualTo(3);
        assertThat(state.restarts()).as("the same thread went on").isZero();
        assertThat(state.lastSuccess()).isNotNull();
        assertThat(state.lastFailure()).isEqualTo(StackOverflowError.class.getName());
        assertThat(meters.get("optledger.worker.failures")
                        .tag("worker", "thrower")
                        .counter()
                        .count())
                .isEqualTo(3);
        assertThat(meters.get("optledger.worker.last.success")
                        .tag("worker", "thrower")
                        .gauge()
                        .value())
                .isGreaterThan(0);
    }

    @Test
    void aLoopWhoseThreadDiesIsStartedAgain() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        supervisor.start();
        supervisor.supervise(loop("dier", () -> {
            if (passes.incrementAndGet() == 1) {
                // the handling of this failure fails too, as it might out of memory: the thread dies
                throw new IllegalStateException() {
                    @Override
                    public String getMessage() {
                        throw new OutOfMemoryError("while describing a failure");
                    }
                };
            }
            return false;
        }));

        assertThat(within(Duration.ofSeconds(10), () -> passes.get() >= 3)).isTrue();
        assertThat(state("dier").restarts()).isEqualTo(1);
        assertThat(state("dier").lastSuccess()).isNotNull();
    }

    @Test
    void aSupervisorStoppedAndStartedAgainRunsItsLoopsAgain() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        supervisor.supervise(loop("restartable", () -> passes.incrementAndGet() < 0));
        supervisor.start();
        assertThat(within(Duration.ofSeconds(5), () -> passes.get() > 0)).isTrue();
        supervisor.stop();
        int stoppedAt = passes.get();
        Thread.sleep(100);
        assertThat(passes.get()).as("no pass while stopped").isEqualTo(stoppedAt);
        supervisor.start();
        assertThat(within(Duration.ofSeconds(5), () -> passes.get() > stoppedAt))
                .isTrue();
    }

    @Test
    void aStallThresholdIsConfigurableAndMustOutlastTheInterval() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("optledger.workers.configured-loop.stall-after", "3s")
                .withProperty("optledger.workers.too-eager.stall-after", "10ms");
        Supervisor configured = new Supervisor(List.of(), meters, Clock.systemUTC(), environment);
        configured.supervise(loop("configured-loop", () -> false));
        assertThat(configured.loops().getFirst().stallAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> configured.supervise(loop("too-eager", () -> false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stall");
        assertThatThrownBy(() -> configured.supervise(loop("Not A Name", () -> false)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> configured.supervise(loop("configured-loop", () -> false)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two loops");
    }

    @Test
    void theBackoffDoublesFromHalfASecondToThirtySeconds() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 20, 1000).stream()
                        .map(Supervisor::backoff)
                        .map(Duration::toMillis)
                        .toList())
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
    }

    private Supervisor.LoopState state(String name) {
        return supervisor.loops().stream()
                .filter(loop -> loop.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    interface Body {
        boolean run() throws Exception;
    }

    static SupervisedLoop loop(String name, Body body) {
        return loop(name, Duration.ofMillis(20), Duration.ofMinutes(1), body);
    }

    static SupervisedLoop loop(String name, Duration interval, Duration stallAfter, Body body) {
        return new SupervisedLoop() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Duration interval() {
                return interval;
            }

            @Override
            public Duration stallAfter() {
                return stallAfter;
            }

            @Override
            public boolean runOnce() throws Exception {
                return body.run();
            }
        };
    }

    static boolean within(Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
