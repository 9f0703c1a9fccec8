package io.optledger.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** When a load thread sends its next request: the time its latency counts from, or -1 to stop. */
interface Schedule {

    long next();

    /** Closed loop: each thread sends its next request as soon as its last is answered, until {@code end}. */
    static Schedule closed(long end) {
        return () -> {
            long sent = System.nanoTime();
            return sent < end ? sent : -1;
        };
    }

    /**
     * Open loop: requests due at a fixed rate from {@code start} until {@code end}, shared by all threads, whatever
     * the answers do. A latency counts from when its request was due, not when a thread was free to send it, so a
     * stall shows in full (coordinated omission corrected).
     */
    static Schedule open(long start, double perSecond, long end) {
        AtomicLong sequence = new AtomicLong();
        long interval = (long) (1e9 / perSecond);
        return () -> {
            long at = start + sequence.getAndIncrement() * interval;
            if (at >= end) {
                return -1;
            }
            for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            return at;
        };
    }
}
