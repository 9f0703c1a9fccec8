package io.optledger.platform;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generation of a node-local cache: bumped by every invalidation, before it drops entries. A value loaded from
 * the database is cached only if no invalidation came since its load began, decided under the entry's own lock, so an
 * invalidation and a load that overlap can never leave the old value cached: Caffeine's {@code invalidateAll} does not
 * wait for loads in flight, and a load that began before a change commits would otherwise cache what it read.
 */
public final class CacheGeneration {

    private final AtomicLong generation = new AtomicLong();

    /** Read before a load begins. */
    public long current() {
        return generation.get();
    }

    /** Call before dropping entries, so that every load begun before is not cached. */
    public void bump() {
        generation.incrementAndGet();
    }

    /** Caches {@code value} for {@code key} if no invalidation came since {@code seen}; otherwise leaves the entry. */
    public <K, V> void putIfCurrent(Cache<K, V> cache, K key, V value, long seen) {
        cache.asMap().compute(key, (k, old) -> generation.get() == seen ? value : old);
    }
}
