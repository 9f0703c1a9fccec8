package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.PassSends.Sent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Sends that ended after their pass recorded, for the next pass to record with its own. */
final class LateSends {

    private final Queue<Sent> queue = new ConcurrentLinkedQueue<>();
    private final WorkSignal signal;

    LateSends(WorkSignal signal) {
        this.signal = signal;
    }

    void add(Sent sent) {
        queue.add(sent);
        // an idle loop wakes to record it
        signal.signal();
    }

    /** The sends that ended after their passes recorded, taken for this pass to record. */
    List<Sent> take() {
        List<Sent> ended = new ArrayList<>();
        for (Sent sent; (sent = queue.poll()) != null; ) {
            ended.add(sent);
        }
        return ended;
    }
}
