package io.optledger.eligibility;

import io.optledger.eligibility.AddressFactsCache.AddressFacts;
import io.optledger.eligibility.AddressFactsCache.AddressKey;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * How much heap the address facts cache may take, and what one entry is estimated to take of it. The estimates are
 * of a 64-bit JVM with compressed references and compact strings (a byte a character when every character fits in
 * one, else two), about a tenth above what 200,000 entries took of the heap when measured alone (serial collector,
 * 25-character addresses): 196 bytes an address with nothing, 308 an address with one subscription.
 */
final class CacheMemory {

    /** Without a setting: a fifth of the maximum heap (90 MB at the recommended 448 MB). */
    static final int DEFAULT_HEAP_SHARE_PERCENT = 20;

    // the cache's node and table slot, the key and its string's header (the facts of an address with nothing are
    // shared)
    private static final int ENTRY = 190;
    // the held record, its instant, the address's own facts and their list (its topic string is the topic's)
    private static final int SUBSCRIPTION = 124;
    // the record, its instant, the headers of its two strings
    private static final int SUPPRESSION = 160;
    // a suspension's end (rare)
    private static final int INSTANT = 24;

    private CacheMemory() {}

    /** The budget in bytes: the setting when there is one, else the default share of {@code maxHeap}. */
    static long budget(@Nullable DataSize setting, long maxHeap) {
        if (setting == null) {
            return maxHeap / 100 * DEFAULT_HEAP_SHARE_PERCENT;
        }
        long bytes = setting.toBytes();
        if (bytes < DataSize.ofKilobytes(64).toBytes() || bytes >= maxHeap) {
            throw new IllegalArgumentException("optledger.eligibility.cache-memory is at least 64KB and less than the"
                    + " maximum heap (" + maxHeap / (1024 * 1024) + "MB), not " + setting);
        }
        return bytes;
    }

    static int weigh(AddressKey key, AddressFacts facts) {
        long bytes = ENTRY + bytes(key.address());
        for (HeldSubscription s : facts.subscriptions()) {
            bytes += s.suspendedUntil() == null ? SUBSCRIPTION : SUBSCRIPTION + INSTANT;
        }
        if (facts.suppression() != null) {
            bytes += SUPPRESSION
                    + bytes(facts.suppression().address())
                    + bytes(facts.suppression().note());
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long bytes(@Nullable String text) {
        if (text == null) {
            return 0;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return 2L * text.length();
            }
        }
        return text.length();
    }
}
