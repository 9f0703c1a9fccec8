package io.optledger.delivery.webhook;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Tells this node's delivery loop that deliveries were just added, so that it looks at once rather than after its
 * poll interval. Signals made while the loop works are kept for its next wait; other nodes find the work by polling.
 */
@Component
class WorkSignal {

    private final Semaphore signalled = new Semaphore(0);

    void signal() {
        if (signalled.availablePermits() == 0) {
            signalled.release();
        }
    }

    /** Waits until signalled or for {@code max}, whichever comes first. */
    void await(Duration max) throws InterruptedException {
        if (signalled.tryAcquire(max.toNanos(), TimeUnit.NANOSECONDS)) {
            signalled.drainPermits();
        }
    }
}
