package io.optledger.support;

import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Polls until something a service does in the background has happened. */
public final class Await {

    private Await() {}

    /**
     * The first non-null value the condition answers, asked every {@code every} for at most {@code within}; an
     * {@link AssertionError} when it never answers one.
     */
    public static <T> T until(Duration within, Duration every, Supplier<@Nullable T> condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting");
    }
}
