package io.optledger.eligibility;

import io.optledger.consent.Subscription;
import io.optledger.eligibility.AddressFactsCache.AddressFacts;
import io.optledger.eligibility.AddressFactsCache.AddressKey;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * How much heap the address facts cache may take, and what one entry is estimated to take of it. The estimates are
 * of a 64-bit JVM with compressed references and compact strings (a byte a character when every character fits in
 * one, else two), about a tenth above what 200,000 entries took of the heap when measured alone: 214 bytes an address
 * with nothing (15 characters), 438 an address with one subscription (25 characters, its topic and source 10 and 3).
 */
final class CacheMemory {

    /** Without a setting: a fifth of the maximum heap (90 MB at the recommended 448 MB). */
    static final int DEFAULT_HEAP_SHARE_PERCENT = 20;

    // the cache's node and table slot, the key and its string's header, the facts and their list
    private static final int ENTRY = 224;
    // the record, its instants, the headers of its three strings (its property map is shared when empty)
    private static final int SUBSCRIPTION = 192;
    // the record, its instant, the headers of its two strings
    private static final int SUPPRESSION = 160;
    // a property (rare): the map's node, the headers of its name and of its value, taken as its text
    private static final int PROPERTY = 96;

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
        for (Subscription s : facts.subscriptions()) {
            bytes += SUBSCRIPTION + bytes(s.address()) + bytes(s.topic()) + bytes(s.source());
            for (Map.Entry<String, Object> property : s.properties().entrySet()) {
                bytes += PROPERTY + bytes(property.getKey()) + bytes(String.valueOf(property.getValue()));
            }
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
