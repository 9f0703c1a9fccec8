package io.optledger.consent;

import io.optledger.consent.GroupRequest.Lead;
import io.optledger.consent.GroupRequest.State;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits concurrent consent batches together: one transaction, one fsync for many requests, each answered with its
 * own outcomes.
 *
 * <p>A request that finds fewer than {@code lanes} groups being written commits at once, alone: an idle service adds
 * no wait. Requests arriving while every lane's group is being written queue; when one of those groups has written
 * everything and is about to commit, the first queued request leads the next group in that lane, of every request
 * queued (up to {@code max-requests}), applied in arrival order as one group ({@link ConsentService#applyAll}). So a
 * group is written while the one before it commits: its statements overlap the previous commit's fsync, and its own
 * commit follows (PostgreSQL flushes the WAL of concurrent commits together). With more than one lane, one group's
 * statements run while another's wait (one lane by default: on 2 cores smaller groups cost more than the overlap
 * gained). Requests queued together apply in arrival order; requests in flight at the same time in different lanes
 * are ordered by the contact locks, as two nodes' are. A group hands on only once it holds every lock it takes and
 * has written everything, so a later group touching the same contact waits for its commit. Each request's follow-up
 * (its idempotent response) runs in the group's transaction. A group that fails before its commit is retried request
 * by request, before the lead is handed on, so a failure fails only the request that fails alone. A request leaves
 * with its outcome, or with an exception: its own, or a {@link WriteUnavailable} (503) when it waited too long in the
 * queue (nothing written), when the commit's outcome is unknown, or when its leader died.
 *
 * <p>Waits use {@link ReentrantLock} conditions, never {@code synchronized}, so waiting virtual threads unmount.
 */
@Service
public class GroupCommit {

    private final ConsentService consent;
    private final TransactionTemplate transactions;
    private final GroupCommitSettings settings;
    private final GroupCommitMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<GroupRequest<?>> queue = new ArrayDeque<>();
    /**
     * Groups being written: from when their leader starts until it hands the lead on, just before its commit; at most
     * {@code lanes}; guarded by {@link #lock}.
     */
    private int writing;

    GroupCommit(
            ConsentService consent,
            TransactionTemplate transactions,
            GroupCommitSettings settings,
            GroupCommitMetrics metrics) {
        this.consent = consent;
        this.transactions = transactions;
        this.settings = settings;
        this.metrics = metrics;
        metrics.watchQueue(this::queued);
    }

    private int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link ConsentService#apply(ConsentBatch, Function)}, committed with the other requests that arrive while another
     * commit is in flight (a batch of more than {@code max-changes}, or one in the caller's transaction, commits as it
     * is). Input no transaction could apply fails here, before the request queues.
     */
    public <R> R apply(ConsentBatch batch, Function<List<ChangeOutcome>, R> then) {
        return applySeeingBefore(batch, applied -> then.apply(applied.outcomes()));
    }

    /**
     * {@link #apply(ConsentBatch, Function)}, {@code then} also given the subscriptions the batch's contacts had just
     * before it, as its group's transaction found them under their locks.
     */
    public <R> R applySeeingBefore(ConsentBatch batch, Function<Applied, R> then) {
        if (!settings.enabled()
                || batch.commands().size() > settings.maxChanges()
                || TransactionSynchronizationManager.isActualTransactionActive()) {
            return consent.applySeeingBefore(batch, then);
        }
        consent.validate(batch);
        GroupRequest<R> request = new GroupRequest<>(batch, then, lock.newCondition());
        List<GroupRequest<?>> group;
        lock.lock();
        try {
            if (writing < settings.lanes()) {
                writing++;
                group = List.of(request);
            } else {
                queue.add(request);
                group = awaitTurn(request);
            }
        } finally {
            lock.unlock();
        }
        if (group != null) {
            lead(group);
        }
        return request.outcome();
    }

    /** Waits, holding the lock, until the request is done (null) or leads the next group (that group). */
    private @Nullable List<GroupRequest<?>> awaitTurn(GroupRequest<?> request) {
        long left = settings.maxWait().toNanos();
        boolean interrupted = false;
        try {
            while (request.state == State.QUEUED) {
                if (left <= 0) {
                    queue.remove(request);
                    metrics.abandoned("timeout");
                    request.fail(new WriteUnavailable(
                            "the write waited too long for a commit and was not applied;" + " retry"));
                    return null;
                }
                try {
                    left = request.turn.awaitNanos(left);
                } catch (InterruptedException e) {
                    queue.remove(request);
                    metrics.abandoned("interrupted");
                    request.fail(new WriteUnavailable("the write was interrupted before its commit and not applied"));
                    interrupted = true;
                    return null;
                }
            }
            // taken into a group: its leader answers it, whatever happens to the leader (see lead)
            while (request.state == State.IN_GROUP) {
                request.turn.awaitUninterruptibly();
            }
            return request.state == State.LEADING ? request.group : null;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void lead(List<GroupRequest<?>> group) {
        Lead lead = new Lead();
        try {
            commit(group, lead);
        } finally {
            lock.lock();
            try {
                // a leader that failed before its commit hands on here, after its requests were retried alone
                handOff(lead);
                for (GroupRequest<?> member : group) {
                    if (!member.answered()) {
                        // this thread died before answering: the commit may or may not have happened
                        member.fail(new WriteUnavailable("the commit this write was part of failed; its outcome is"
                                + " unknown: retry with the same Idempotency-Key"));
                    }
                    member.state = State.DONE;
                    member.turn.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Hands the lead to the first queued request, with every request queued behind it, once: called when the group has
     * written everything and only its commit is left (or it failed), so the next group's statements run during this
     * group's commit.
     */
    private void handOff(Lead lead) {
        lock.lock();
        try {
            if (lead.handedOff) {
                return;
            }
            lead.handedOff = true;
            GroupRequest<?> next = queue.poll();
            if (next == null) {
                writing--;
            } else {
                next.group = drain(next);
                next.state = State.LEADING;
                next.turn.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next group, led by {@code first}: it and the requests queued after it, in arrival order, up to the caps on
     * requests and changes (a request that would pass the changes cap leads the group after); holds the lock.
     */
    private List<GroupRequest<?>> drain(GroupRequest<?> first) {
        List<GroupRequest<?>> group = new ArrayList<>();
        group.add(first);
        int changes = first.changes();
        while (group.size() < settings.maxRequests()
                && !queue.isEmpty()
                && changes + queue.peek().changes() <= settings.maxChanges()) {
            GroupRequest<?> member = queue.poll();
            member.state = State.IN_GROUP;
            changes += member.changes();
            group.add(member);
        }
        return group;
    }

    private void commit(List<GroupRequest<?>> group, Lead lead) {
        metrics.group(
                group.size(), group.stream().mapToInt(GroupRequest::changes).sum());
        if (group.size() == 1) {
            alone(group.getFirst(), lead);
            return;
        }
        boolean[] applied = {false};
        List<Object> results;
        try {
            results = transactions.execute(status -> {
                List<Applied> outcomes =
                        consent.applyAll(group.stream().map(r -> r.batch).toList());
                List<Object> answers = new ArrayList<>(group.size());
                for (int i = 0; i < group.size(); i++) {
                    answers.add(group.get(i).then.apply(outcomes.get(i)));
                }
                applied[0] = true;
                handOff(lead);
                return answers;
            });
        } catch (RuntimeException e) {
            if (applied[0]) {
                // the commit itself failed: it may have happened, so no request may be applied again
                metrics.abandoned("commit_failed");
                for (GroupRequest<?> member : group) {
                    member.fail(new WriteUnavailable(
                            "the commit of this write failed; its outcome is unknown: retry with the same"
                                    + " Idempotency-Key",
                            e));
                }
                return;
            }
            // one request's failure (bad data, a lost idempotency claim) must not fail the others: each alone, still
            // holding the lead, so that no later request to the same contact overtakes them
            metrics.retriedAlone(group.size());
            for (GroupRequest<?> member : group) {
                alone(member, null);
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).succeed(results.get(i));
        }
    }

    /** The request in a transaction of its own (so a deadlock's victim is retried); hands the lead on before its commit. */
    private <R> void alone(GroupRequest<R> request, @Nullable Lead lead) {
        try {
            request.succeed(consent.applySeeingBefore(request.batch, applied -> {
                R result = request.then.apply(applied);
                if (lead != null) {
                    handOff(lead);
                }
                return result;
            }));
        } catch (RuntimeException e) {
            request.fail(e);
        }
    }
}
