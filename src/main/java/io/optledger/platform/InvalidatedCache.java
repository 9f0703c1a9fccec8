package io.optledger.platform;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.function.Supplier;

/**
 * A node's cache of workspace data that is changed rarely and read often (topics, sign-up units, settings), kept
 * current across nodes by {@link Invalidations}: a change publishes an invalidation of this cache's kind, and every
 * node drops the entry it names. While invalidations are not live, reads go to the source.
 *
 * @param <V> the cached value of one (workspace, key)
 */
public final class InvalidatedCache<V> implements Invalidations.Subscriber {

    private final Invalidations invalidations;
    private final Invalidation.Kind kind;
    private final Cache<String, V> cache =
            Caffeine.newBuilder().maximumSize(10_000).build();
    private final CacheGeneration generation = new CacheGeneration();

    public InvalidatedCache(Invalidations invalidations, Invalidation.Kind kind) {
        this.invalidations = invalidations;
        this.kind = kind;
        invalidations.subscribe(this);
    }

    /** The value of a workspace's key, loaded when not cached. Use the key "" for data of the whole workspace. */
    public V get(long workspaceId, String key, Supplier<V> load) {
        if (!invalidations.isLive()) {
            return load.get();
        }
        String entry = entry(workspaceId, key);
        V cached = cache.getIfPresent(entry);
        if (cached != null) {
            return cached;
        }
        long seen = generation.current(entry);
        V loaded = load.get();
        generation.putIfCurrent(cache, entry, loaded, seen);
        return loaded;
    }

    /** Tells every node, this one at once, that a workspace's key changed. */
    public void changed(long workspaceId, String key) {
        invalidations.publish(workspaceId, List.of(new Invalidation(workspaceId, kind, key)));
    }

    /** Drops this node's entry only: for a change another node made whose invalidation may not have arrived yet. */
    public void drop(long workspaceId, String key) {
        String entry = entry(workspaceId, key);
        generation.bump(entry);
        cache.invalidate(entry);
    }

    @Override
    public void invalidate(Invalidation invalidation) {
        if (invalidation.kind() == kind) {
            drop(invalidation.workspaceId(), invalidation.key());
        }
    }

    @Override
    public void invalidateAll() {
        generation.bumpAll();
        cache.invalidateAll();
    }

    private static String entry(long workspaceId, String key) {
        return workspaceId + "/" + key;
    }
}
