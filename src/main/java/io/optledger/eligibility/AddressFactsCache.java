package io.optledger.eligibility;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.optledger.consent.ConsentReads;
import io.optledger.consent.Subscription;
import io.optledger.contact.Channel;
import io.optledger.platform.CacheGeneration;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.suppression.Suppression;
import io.optledger.suppression.Suppressions;
import io.optledger.topic.Topic;
import io.optledger.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;

/**
 * What eligibility needs to know about channel addresses (their subscriptions to every topic and their suppression),
 * cached per node while {@link Invalidations} vouches for it: a committed change drops the address here before its
 * request answers, and on every other node at its next read of the invalidations, a tenth of a second later.
 */
@Component
class AddressFactsCache implements Invalidations.Subscriber {

    /** A channel address in a workspace. */
    record AddressKey(long workspaceId, Channel channel, String address) {}

    /** The state at one address. */
    record AddressFacts(
            List<HeldSubscription> subscriptions, @Nullable Suppression suppression) {}

    private static final AddressFacts NOTHING = new AddressFacts(List.of(), null);

    private final ConsentReads consent;
    private final Suppressions suppressions;
    private final Topics topics;
    private final Invalidations invalidations;
    private final Cache<AddressKey, AddressFacts> cache;
    // bumped by every invalidation of a key: a load of it that overlaps one is answered but not cached
    private final CacheGeneration generation = new CacheGeneration();

    @Autowired
    AddressFactsCache(
            ConsentReads consent,
            Suppressions suppressions,
            Topics topics,
            Invalidations invalidations,
            MeterRegistry meters,
            @Value("${optledger.eligibility.cache-memory:}") String memory) {
        this(
                consent,
                suppressions,
                topics,
                invalidations,
                CacheMemory.budget(
                        StringUtils.hasText(memory) ? DataSize.parse(memory) : null,
                        Runtime.getRuntime().maxMemory()));
        CaffeineCacheMetrics.monitor(meters, cache, "eligibility.addresses");
    }

    AddressFactsCache(
            ConsentReads consent, Suppressions suppressions, Topics topics, Invalidations invalidations, long bytes) {
        this.consent = consent;
        this.suppressions = suppressions;
        this.topics = topics;
        this.invalidations = invalidations;
        // bounded by the memory its entries take, not their number: an address with subscriptions takes several times
        // one without, and a count that suited 100,000 contacts held the whole heap at 1,000,000 (bench, issue 17)
        this.cache = Caffeine.newBuilder()
                .maximumWeight(bytes)
                .weigher(CacheMemory::weigh)
                .expireAfterAccess(Duration.ofMinutes(30))
                .recordStats()
                .build();
        invalidations.subscribe(this);
    }

    /** The estimated bytes the cached entries take; for tests, after pending evictions ran. */
    long weightedSize() {
        cache.cleanUp();
        return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    long entries() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    AddressFacts get(AddressKey key) {
        if (!invalidations.isLive()) {
            return load(key.workspaceId(), List.of(key)).get(key);
        }
        AddressFacts cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long seen = generation.current(key);
        AddressFacts loaded = load(key.workspaceId(), List.of(key)).get(key);
        generation.putIfCurrent(cache, key, loaded, seen);
        return loaded;
    }

    /** The facts of many addresses of one workspace, with one query for all that are not cached. */
    Map<AddressKey, AddressFacts> getAll(long workspaceId, List<AddressKey> keys) {
        boolean live = invalidations.isLive();
        Map<AddressKey, AddressFacts> found = new HashMap<>();
        List<AddressKey> missing = new ArrayList<>();
        for (AddressKey key : new LinkedHashSet<>(keys)) {
            AddressFacts cached = live ? cache.getIfPresent(key) : null;
            if (cached != null) {
                found.put(key, cached);
            } else {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            long[] seen = new long[missing.size()];
            for (int i = 0; i < seen.length; i++) {
                seen[i] = generation.current(missing.get(i));
            }
            Map<AddressKey, AddressFacts> loaded = load(workspaceId, missing);
            found.putAll(loaded);
            if (live) {
                // each cached only if no invalidation of it came since the load began: never visible, even briefly,
                // if one did
                for (int i = 0; i < seen.length; i++) {
                    AddressKey key = missing.get(i);
                    generation.putIfCurrent(cache, key, loaded.get(key), seen[i]);
                }
            }
        }
        return found;
    }

    @Override
    public void invalidate(Invalidation invalidation) {
        if (invalidation.kind() == Invalidation.Kind.ALL_ADDRESSES) {
            // rare (an erasure): the cache holds every workspace's addresses, and starts over
            invalidateAll();
            return;
        }
        if (invalidation.kind() != Invalidation.Kind.ADDRESS) {
            return;
        }
        String[] channelAndAddress = invalidation.key().split(":", 2);
        AddressKey key =
                new AddressKey(invalidation.workspaceId(), Channel.valueOf(channelAndAddress[0]), channelAndAddress[1]);
        generation.bump(key);
        cache.invalidate(key);
    }

    @Override
    public void invalidateAll() {
        generation.bumpAll();
        cache.invalidateAll();
    }

    private Map<AddressKey, AddressFacts> load(long workspaceId, List<AddressKey> keys) {
        List<Channel> channels = keys.stream().map(AddressKey::channel).toList();
        List<String> addresses = keys.stream().map(AddressKey::address).toList();
        // each held subscription names its topic by the topic's own key string, not a copy of it per address
        Map<String, Topic> byKey = topics.byKey(workspaceId);
        Map<AddressKey, List<HeldSubscription>> subscriptions = new HashMap<>();
        for (Subscription s : consent.subscriptionsAt(workspaceId, channels, addresses)) {
            Topic topic = byKey.get(s.topic());
            subscriptions
                    .computeIfAbsent(new AddressKey(workspaceId, s.channel(), s.address()), k -> new ArrayList<>())
                    .add(HeldSubscription.of(s, topic == null ? s.topic() : topic.key()));
        }
        Map<AddressKey, Suppression> suppressed = new HashMap<>();
        for (Suppression s : suppressions.findAll(workspaceId, channels, addresses)) {
            suppressed.put(new AddressKey(workspaceId, s.channel(), s.address()), s);
        }
        Map<AddressKey, AddressFacts> facts = new HashMap<>();
        for (AddressKey key : keys) {
            List<HeldSubscription> held = subscriptions.get(key);
            Suppression suppression = suppressed.get(key);
            facts.put(
                    key,
                    held == null && suppression == null
                            ? NOTHING
                            : new AddressFacts(held == null ? List.of() : List.copyOf(held), suppression));
        }
        return facts;
    }
}
