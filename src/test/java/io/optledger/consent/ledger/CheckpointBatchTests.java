package io.optledger.consent.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.consent.internal.JdbcCheckpoints.Unchecked;
import io.optledger.consent.ledger.CheckpointBatch.Queued;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How one checkpoint's share of the queue is cut and checked against what the entries already cover. */
class CheckpointBatchTests {

    @Test
    void eventsRightAfterThoseCoveredAreSignedFromTheQueue() {
        List<Unchecked> rows = List.of(event(7, 4), event(7, 5), event(9, 1));
        CheckpointBatch batch = batch(rows, Map.of(7L, 3L), 100);

        Queued seven = batch.contacts().getFirst();
        assertThat(seven.complete()).isTrue();
        assertThat(seven.coveredSeq()).isEqualTo(3);
        assertThat(seven.throughSeq()).isEqualTo(5);
        assertThat(seven.hashes()).isEqualTo(concat(hash(7, 4), hash(7, 5)));
        // no entry yet: covered through 0
        assertThat(batch.contacts().get(1).hashes()).isEqualTo(hash(9, 1));
        assertThat(batch.read()).containsExactly(Map.entry(7L, 5L), Map.entry(9L, 1L));
        assertThat(batch.more()).isFalse();
    }

    @Test
    void eventsTheEntriesCoverAreNeverSignedAgain() {
        // queued again after being signed through 5: only 6 is new
        CheckpointBatch batch = batch(List.of(event(7, 4), event(7, 5), event(7, 6)), Map.of(7L, 5L), 100);
        Queued seven = batch.contacts().getFirst();
        assertThat(seven.complete()).isTrue();
        assertThat(seven.hashes()).isEqualTo(hash(7, 6));

        // all of them covered: nothing to sign, but they leave the queue
        CheckpointBatch covered = batch(List.of(event(8, 1), event(8, 2)), Map.of(8L, 9L), 100);
        assertThat(covered.contacts().getFirst().throughSeq())
                .isEqualTo(covered.contacts().getFirst().coveredSeq())
                .isEqualTo(9);
        assertThat(covered.read()).containsExactly(Map.entry(8L, 9L));
    }

    @Test
    void aQueueWithAHoleIsReadFromTheLedgerInstead() {
        // 4 is missing from the queue, and 2 to 3 after what is covered
        assertThat(batch(List.of(event(7, 3), event(7, 5)), Map.of(7L, 2L), 100)
                        .contacts()
                        .getFirst()
                        .complete())
                .isFalse();
        Queued late =
                batch(List.of(event(7, 6)), Map.of(7L, 3L), 100).contacts().getFirst();
        assertThat(late.complete()).isFalse();
        assertThat(late.coveredSeq()).isEqualTo(3);
        assertThat(late.throughSeq()).isEqualTo(6);
    }

    @Test
    void aCheckpointTakesAtMostItsContactsAndSaysWhenMoreAreQueued() {
        List<Unchecked> rows = new ArrayList<>();
        for (long contact = 1; contact <= LedgerCheckpoints.MAX_CONTACTS + 2; contact++) {
            rows.add(event(contact, 1));
        }
        CheckpointBatch capped = batch(rows, Map.of(), LedgerCheckpoints.MAX_EVENTS);
        assertThat(capped.contacts()).hasSize(LedgerCheckpoints.MAX_CONTACTS);
        assertThat(capped.more()).isTrue();

        // as many events as a read takes: there may be more behind them, even of the last contact read
        List<Unchecked> full = List.of(event(1, 1), event(1, 2), event(2, 1));
        assertThat(batch(full, Map.of(), 3).more()).isTrue();
        assertThat(batch(full, Map.of(), 4).more()).isFalse();
    }

    private static CheckpointBatch batch(List<Unchecked> rows, Map<Long, Long> covered, int readLimit) {
        return CheckpointBatch.of(rows, readLimit, contacts -> covered);
    }

    private static Unchecked event(long contact, long seq) {
        return new Unchecked(contact, seq, hash(contact, seq));
    }

    /** A distinct 32-byte hash per event. */
    private static byte[] hash(long contact, long seq) {
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) (contact * 31 + seq));
        return hash;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
