package io.optledger.platform;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The generations of a node-local cache's keys: an invalidation bumps its key's generation (or every one) before it
 * drops entries. A value loaded from the database is cached only if no invalidation of its key came since its load
 * began, decided under the entry's own lock, so an invalidation and a load that overlap can never leave the old value
 * cached: Caffeine's {@code invalidateAll} does not wait for loads in flight, and a load that began before a change
 * commits would otherwise cache what it read.
 *
 * <p>Generations are kept per stripe of keys, not for the whole cache: under a steady stream of writes a cache-wide
 * generation moves during almost every load, and nothing loaded would be cached at all. Keys sharing a stripe only
 * cost each other a cached load now and then.
 */
public final class CacheGeneration {

    private static final int STRIPES = 1024;

    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

    /** Read before a load of {@code key} begins. */
    public long current(Object key) {
        return stripes.get(stripe(key));
    }

    /** Call before dropping {@code key}'s entry, so that no load of it begun before is cached. */
    public void bump(Object key) {
        stripes.incrementAndGet(stripe(key));
    }

    /** Call before dropping every entry, so that no load begun before is cached. */
    public void bumpAll() {
        for (int i = 0; i < STRIPES; i++) {
            stripes.incrementAndGet(i);
        }
    }

    /** Caches {@code value} for {@code key} if no invalidation of it came since {@code seen}; else leaves the entry. */
    public <K, V> void putIfCurrent(Cache<K, V> cache, K key, V value, long seen) {
        int stripe = stripe(key);
        cache.asMap().compute(key, (k, old) -> stripes.get(stripe) == seen ? value : old);
    }

    private static int stripe(Object key) {
        int hash = key.hashCode();
        return (hash ^ (hash >>> 16)) & (STRIPES - 1);
    }
}
