package io.optledger.eligibility;

import io.optledger.consent.Subscription;
import io.optledger.eligibility.AddressFactsCache.AddressFacts;
import io.optledger.eligibility.AddressFactsCache.AddressKey;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * How much heap the address facts cache may take, and what one entry is estimated to take of it. The estimates are
 * of a 64-bit JVM with compressed references, strings counted at two bytes a character (the worst case), measured
 * against the live heap of the benchmark at 1,000,000 contacts: 500,000 entries, half of them with one subscription,
 * held about 270 MB.
 */
final class CacheMemory {

    /** Without a setting: a fifth of the maximum heap (90 MB at the recommended 448 MB). */
    static final int DEFAULT_HEAP_SHARE_PERCENT = 20;

    // the cache's node and table slot, the key and its string's header, the facts and their list
    private static final int ENTRY = 256;
    // the record, its three instants, its property map, the headers of its strings
    private static final int SUBSCRIPTION = 320;
    private static final int SUPPRESSION = 160;

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
        long bytes = ENTRY + chars(key.address());
        for (Subscription s : facts.subscriptions()) {
            bytes += SUBSCRIPTION + chars(s.address()) + chars(s.topic()) + chars(s.source());
        }
        if (facts.suppression() != null) {
            bytes += SUPPRESSION + chars(facts.suppression().note());
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static long chars(@Nullable String text) {
        return text == null ? 0 : 2L * text.length();
    }
}
