package io.optledger.delivery.webhook;

import io.optledger.delivery.webhook.internal.JdbcEndpoints;
import io.optledger.delivery.webhook.internal.JdbcFanOut;
import io.optledger.delivery.webhook.internal.JdbcFanOut.Cursor;
import io.optledger.delivery.webhook.internal.JdbcFanOut.NewDelivery;
import io.optledger.delivery.webhook.internal.JdbcFanOut.OutboxRow;
import io.optledger.platform.SupervisedLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns outbox rows into webhook deliveries, one per row and matching endpoint, in outbox order, on whichever node
 * holds the cursor's lock. It reads a range of ids only once every transaction that could still commit a row in it
 * has ended (V26), so no row is skipped because it committed after a row with a higher id.
 */
@Component
class FanOut implements SupervisedLoop {

    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    static final int CHUNK = 500;
    /** The lane of a workspace's own events (suppressions), in the order of the workspace ledger; no contact is 0. */
    static final long WORKSPACE_LANE = 0;
    /** Workspaces a pass takes on at most. */
    private static final int WORKSPACES = 100;
    /**
     * The pause before looking again while rows keep coming: a range is read once the transactions that were writing
     * it have ended, usually within milliseconds, so waiting out the whole poll interval would only add lag.
     */
    private static final Duration FOLLOW = Duration.ofMillis(20);
    /**
     * How long the fan-out follows that closely while it reads nothing: the writers of a range end within milliseconds,
     * unless a long write transaction elsewhere holds the range back, which is waited out at the poll interval.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(1);

    private final JdbcFanOut fanOut;
    private final JdbcEndpoints endpoints;
    private final WebhookEvents events;
    private final WorkSignal signal;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final WebhookSettings settings;
    /** Set once the delivery tables had statistics, after this node's first deliveries (JdbcFanOut.UNANALYSED). */
    private boolean analysed;
    /** When the passes began to wait without reading a row (System.nanoTime), or null while they read. */
    private @Nullable Long waitingSince;

    FanOut(
            JdbcFanOut fanOut,
            JdbcEndpoints endpoints,
            WebhookEvents events,
            WorkSignal signal,
            TransactionTemplate tx,
            Clock clock,
            WebhookSettings settings) {
        this.fanOut = fanOut;
        this.endpoints = endpoints;
        this.events = events;
        this.signal = signal;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * What a pass did: whether more rows are ready at once, whether it read rows, whether it added deliveries, and
     * whether rows wait to be read once the transactions writing them have ended.
     */
    record Pass(boolean more, boolean read, boolean added, boolean waiting) {}

    /** One pass in one transaction, then the bound of the targets it set. */
    Pass pass() {
        Pass pass = Objects.requireNonNull(tx.execute(status -> {
            // cursors other nodes hold are skipped: their workspaces are theirs for this pass
            List<Cursor> cursors = fanOut.lockWithWork(WORKSPACES);
            Instant now = clock.instant();
            boolean more = false;
            boolean read = false;
            boolean added = false;
            boolean pending = false;
            List<Long> waiting = new ArrayList<>();
            for (Cursor cursor : cursors) {
                Long target = cursor.targetId();
                if (cursor.ready()) {
                    read = true;
                    List<OutboxRow> rows = fanOut.rows(cursor.workspaceId(), cursor.lastOutboxId(), target, CHUNK);
                    long last = rows.size() < CHUNK ? target : rows.getLast().id();
                    List<NewDelivery> deliveries = deliveries(cursor.workspaceId(), rows);
                    fanOut.insert(deliveries, now, now.plus(settings.retryFor()));
                    added |= !deliveries.isEmpty();
                    fanOut.advance(cursor.workspaceId(), last, now);
                    if (last < target) {
                        more = true;
                    } else {
                        waiting.add(cursor.workspaceId());
                    }
                } else if (cursor.pending()) {
                    // its writers are still running, usually for a few milliseconds more
                    pending = true;
                } else {
                    waiting.add(cursor.workspaceId());
                }
            }
            // the rows each workspace now sees are read once the transactions in flight now have ended
            boolean seen = fanOut.setTargets(waiting, now);
            return new Pass(more, read, added, seen || pending);
        }));
        // the targets this pass set get their bound now that it committed (see JdbcFanOut.BIND); so do those of a node
        // that died before binding its own
        fanOut.bindTargets();
        return pass;
    }

    private List<NewDelivery> deliveries(long workspaceId, List<OutboxRow> rows) {
        List<Endpoint> candidates = rows.isEmpty() ? List.of() : endpoints.enabledIn(List.of(workspaceId));
        List<NewDelivery> deliveries = new ArrayList<>();
        for (OutboxRow row : rows) {
            if (candidates.isEmpty()) {
                break;
            }
            WebhookEvents.Event event;
            try {
                event = events.event(row.type(), row.payload());
            } catch (RuntimeException e) {
                // one unreadable row must not hold back every later one
                log.error("Outbox row {} could not be read as a {} event; no webhook for it", row.id(), row.type(), e);
                continue;
            }
            for (Endpoint endpoint : candidates) {
                // an endpoint gets the changes recorded from its creation on
                if (!endpoint.createdAt().isAfter(row.createdAt())
                        && endpoint.wants(event.type(), event.topic(), event.channel())) {
                    deliveries.add(new NewDelivery(
                            row.workspaceId(),
                            Webhooks.newDeliveryId(),
                            endpoint.id(),
                            row.contactId() == null ? WORKSPACE_LANE : row.contactId(),
                            event.seq(),
                            row.id(),
                            event.type().value(),
                            event.body()));
                }
            }
        }
        return deliveries;
    }

    @Override
    public String name() {
        return "webhook-fanout";
    }

    @Override
    public Duration interval() {
        return settings.pollInterval();
    }

    @Override
    public Duration stallAfter() {
        // a pass is one chunk; waiting on a long transaction elsewhere is not a stall of this loop
        return Duration.ofMinutes(5);
    }

    @Override
    public boolean runOnce() throws InterruptedException {
        Pass pass = pass();
        if (pass.added()) {
            if (!analysed) {
                // the first deliveries into tables never analysed: statistics before the delivery loop plans on them
                analysed = fanOut.analyseIfNeverAnalysed();
            }
            // committed: this node's delivery loop can claim them now
            signal.signal();
        }
        if (pass.read() || !pass.waiting()) {
            waitingSince = null;
        }
        if (pass.more()) {
            return true;
        }
        if (pass.waiting()) {
            long now = System.nanoTime();
            if (waitingSince == null) {
                waitingSince = now;
            }
            boolean patient = now - waitingSince < PATIENCE.toNanos() && FOLLOW.compareTo(settings.pollInterval()) < 0;
            Thread.sleep(patient ? FOLLOW : settings.pollInterval());
            return true;
        }
        return false;
    }
}
