package io.optledger.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs every {@link SupervisedLoop} on a platform thread of its own. A pass that throws anything, errors included, is
 * counted and followed by another after a backoff; a thread that dies anyway (its failure handling failed too, say out
 * of memory) is started again by a watchdog, with the same backoff. Each loop's last success is a metric, and a loop
 * with no success within its stall threshold is reported by {@link #loops()} for readiness to turn DOWN.
 */
@Component
public class Supervisor implements SmartLifecycle {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration WATCH_EVERY = Duration.ofMillis(200);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** What health shows of one loop. */
    public record LoopState(
            String name,
            @Nullable Instant lastSuccess,
            Duration stallAfter,
            boolean stalled,
            long failures,
            long restarts,
            @Nullable String lastFailure) {}

    private final MeterRegistry meters;
    private final Clock clock;
    private final Binder settings;
    private final Map<String, Runner> runners = new ConcurrentHashMap<>();
    private volatile boolean running;
    private @Nullable Thread watchdog;

    Supervisor(List<SupervisedLoop> loops, MeterRegistry meters, Clock clock, Environment environment) {
        this.meters = meters;
        this.clock = clock;
        this.settings = Binder.get(environment);
        loops.forEach(this::add);
    }

    /**
     * Supervises a loop from now on (at once when the supervisor runs, else from its start); closing the answer stops
     * the loop and forgets it. Loops declared as beans need not call this.
     */
    public AutoCloseable supervise(SupervisedLoop loop) {
        Runner runner = add(loop);
        if (running) {
            runner.start();
        }
        return () -> {
            runners.remove(runner.name, runner);
            runner.stop();
            runner.join(clock.millis() + STOP_WAIT.toMillis());
            runner.meters.forEach(meters::remove);
        };
    }

    /** Every supervised loop's state, by name. */
    public List<LoopState> loops() {
        return runners.values().stream()
                .map(Runner::state)
                .sorted(Comparator.comparing(LoopState::name))
                .toList();
    }

    private Runner add(SupervisedLoop loop) {
        if (!NAME.matcher(loop.name()).matches()) {
            throw new IllegalArgumentException("a loop's name is lowercase words joined by '-', not " + loop.name());
        }
        Duration stallAfter = settings.bind("optledger.workers." + loop.name() + ".stall-after", Duration.class)
                .orElse(loop.stallAfter());
        if (stallAfter.compareTo(loop.interval()) <= 0) {
            throw new IllegalArgumentException("loop " + loop.name() + " would stall between two passes: its stall"
                    + " threshold " + stallAfter + " is not longer than its interval " + loop.interval());
        }
        Runner runner = new Runner(loop, stallAfter);
        if (runners.putIfAbsent(loop.name(), runner) != null) {
            throw new IllegalArgumentException("two loops are named " + loop.name());
        }
        return runner;
    }

    /** The pause before the next pass after {@code failures} failures in a row, or before a restart: 0.5 s, 1 s, … 30 s. */
    static Duration backoff(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(Math.max(failures - 1, 0), 16);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private void watch() {
        while (running) {
            try {
                runners.values().forEach(Runner::reviveIfDead);
                Thread.sleep(WATCH_EVERY);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                // the watchdog outlives anything, like the loops it watches: its next look tries again
            }
        }
    }

    @Override
    public void start() {
        running = true;
        runners.values().forEach(Runner::start);
        watchdog = Thread.ofPlatform().name("supervisor").daemon().start(this::watch);
    }

    @Override
    public void stop() {
        running = false;
        if (watchdog != null) {
            watchdog.interrupt();
        }
        runners.values().forEach(Runner::stop);
        long deadline = clock.millis() + STOP_WAIT.toMillis();
        runners.values().forEach(runner -> runner.join(deadline));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One loop: its thread, its record of success and failure, and its meters. */
    private final class Runner {

        final String name;
        final SupervisedLoop loop;
        final Duration stallAfter;
        final Counter failures;
        final Counter restarts;
        final List<Meter> meters = new ArrayList<>();
        volatile boolean stopped;
        volatile @Nullable Thread thread;
        volatile long startedMillis;
        volatile long lastSuccessMillis;
        volatile int failuresInARow;
        volatile int deathsInARow;
        volatile long reviveAtMillis;
        volatile @Nullable String lastFailure;

        Runner(SupervisedLoop loop, Duration stallAfter) {
            this.name = loop.name();
            this.loop = loop;
            this.stallAfter = stallAfter;
            Tags tags = Tags.of("worker", name);
            MeterRegistry registry = Supervisor.this.meters;
            this.failures = Counter.builder("optledger.worker.failures")
                    .description("Passes of a background loop that threw")
                    .tags(tags)
                    .register(registry);
            this.restarts = Counter.builder("optledger.worker.restarts")
                    .description("Times a background loop's thread died and was started again")
                    .tags(tags)
                    .register(registry);
            meters.add(failures);
            meters.add(restarts);
            meters.add(Gauge.builder("optledger.worker.last.success", this, Runner::lastSuccessSeconds)
                    .description("When a background loop last completed a pass, in seconds since the epoch")
                    .baseUnit("seconds")
                    .tags(tags)
                    .strongReference(true)
                    .register(registry));
            meters.add(Gauge.builder("optledger.worker.stalled", this, runner -> runner.stalled() ? 1 : 0)
                    .description("1 while a background loop has had no successful pass within its stall threshold")
                    .tags(tags)
                    .strongReference(true)
                    .register(registry));
        }

        void start() {
            stopped = false;
            startedMillis = clock.millis();
            thread = Thread.ofPlatform().name(name).daemon().start(this::run);
        }

        void stop() {
            stopped = true;
            Thread current = thread;
            if (current != null) {
                current.interrupt();
            }
        }

        void join(long deadlineMillis) {
            Thread current = thread;
            try {
                if (current != null) {
                    current.join(Duration.ofMillis(Math.max(deadlineMillis - clock.millis(), 1)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private boolean active() {
            return running && !stopped;
        }

        private void run() {
            while (active()) {
                Duration pause;
                try {
                    pause = loop.runOnce() ? Duration.ZERO : loop.interval();
                    lastSuccessMillis = clock.millis();
                    failuresInARow = 0;
                    deathsInARow = 0;
                } catch (Throwable failure) {
                    // anything, errors included: one bad pass must not end the loop
                    if (!active()) {
                        return;
                    }
                    pause = failed(failure);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    if (!active()) {
                        return;
                    }
                }
            }
        }

        private Duration failed(Throwable failure) {
            failures.increment();
            int inARow = ++failuresInARow;
            Duration pause = backoff(inARow);
            // the class only: a message may carry personal data, and health is no place for it
            lastFailure = failure.getClass().getName();
            log.warn("Background loop {} failed ({} in a row); next pass in {}", name, inARow, pause, failure);
            return pause;
        }

        void reviveIfDead() {
            Thread current = thread;
            if (!active() || current == null || current.isAlive()) {
                return;
            }
            long now = clock.millis();
            if (reviveAtMillis == 0) {
                Duration pause = backoff(++deathsInARow);
                reviveAtMillis = now + pause.toMillis();
                log.error("Background loop {} died; starting it again in {}", name, pause);
            } else if (now >= reviveAtMillis) {
                reviveAtMillis = 0;
                restarts.increment();
                thread = Thread.ofPlatform().name(name).daemon().start(this::run);
            }
        }

        boolean stalled() {
            long since = Math.max(lastSuccessMillis, startedMillis);
            return running && since > 0 && clock.millis() - since > stallAfter.toMillis();
        }

        double lastSuccessSeconds() {
            return lastSuccessMillis == 0 ? Double.NaN : lastSuccessMillis / 1000.0;
        }

        LoopState state() {
            return new LoopState(
                    name,
                    lastSuccessMillis == 0 ? null : Instant.ofEpochMilli(lastSuccessMillis),
                    stallAfter,
                    stalled(),
                    (long) failures.count(),
                    (long) restarts.count(),
                    lastFailure);
        }
    }
}
