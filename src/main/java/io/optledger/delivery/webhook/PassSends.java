package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.internal.JdbcLanes.Lane;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sends of one pass: those that end before the pass records are recorded with it, those that end later (a slow
 * receiver) wait for the next pass to record them, so one slow endpoint does not hold back the next pass.
 */
final class PassSends {

    /** Logged as DeliveryWorker: the delivery loop's lines keep one logger name, whichever class writes them. */
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    /** One attempt made in a pass: the lane's head, the endpoint as the pass read it, and what the receiver did. */
    record Sent(Lane lane, Endpoint endpoint, Delivery delivery, WebhookSender.Result result) {}

    private final LateSends late;
    private final List<Sent> done = new ArrayList<>();
    private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
    private int running;
    private boolean closed;

    PassSends(LateSends late) {
        this.late = late;
    }

    synchronized void started() {
        running++;
    }

    /** A send ended: kept for the pass if it has not recorded yet, else for the next pass to record. */
    void ended(@Nullable Sent sent, @Nullable RuntimeException error) {
        synchronized (this) {
            running--;
            if (!closed) {
                if (sent != null) {
                    done.add(sent);
                } else {
                    failure.compareAndSet(null, error);
                }
                notifyAll();
                return;
            }
        }
        if (sent == null) {
            log.warn(
                    "A webhook send failed after its pass was recorded; its lane is taken again once its lease ends",
                    error);
            return;
        }
        late.add(sent);
    }

    /** Waits until every send ended or the deadline passed; answers the sends that ended, and closes the pass. */
    synchronized List<Sent> close(long deadlineNanos) throws InterruptedException {
        long left;
        while (running > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        closed = true;
        return List.copyOf(done);
    }

    /** The first send of the pass that failed before the pass recorded, if any. */
    @Nullable
    Exception failure() {
        return failure.get();
    }
}
