package io.optledger.consent;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One caller's batch in {@link GroupCommit}, its follow-up, and, once answered, its result or failure. No
 * synchronisation of its own: {@code state} and {@code group} are guarded by GroupCommit's lock, and the answer is read
 * by the thread that wrote it or by the caller once it has seen {@link State#DONE} under that lock.
 */
final class GroupRequest<R> {
    final ConsentBatch batch;
    final Function<Applied, R> then;
    final Condition turn;
    State state = State.QUEUED;

    @Nullable
    List<GroupRequest<?>> group;

    private boolean answered;
    private @Nullable Object result;
    private @Nullable RuntimeException failure;

    GroupRequest(ConsentBatch batch, Function<Applied, R> then, Condition turn) {
        this.batch = batch;
        this.then = then;
        this.turn = turn;
    }

    void succeed(@Nullable Object result) {
        this.result = result;
        this.answered = true;
    }

    void fail(RuntimeException failure) {
        this.failure = failure;
        this.answered = true;
    }

    boolean answered() {
        return answered;
    }

    int changes() {
        return batch.commands().size();
    }

    @SuppressWarnings("unchecked")
    R outcome() {
        if (failure != null) {
            throw failure;
        }
        return (R) result;
    }

    /** Where a request is on its way through {@link GroupCommit}. */
    enum State {
        QUEUED,
        IN_GROUP,
        LEADING,
        DONE
    }

    /** Whether a leader has handed the lead on yet; guarded by GroupCommit's lock. */
    static final class Lead {
        boolean handedOff;
    }
}
