package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 4: a value loaded before an invalidation is never cached after it, whether the invalidation drops
 * one entry or all of them, and whichever finishes first. Issue 17: an invalidation of one key does not stop loads of
 * other keys from being cached, so a steady stream of writes leaves the cache filling.
 */
class CacheGenerationTests {

    private final Cache<String, String> cache = Caffeine.newBuilder().build();
    private final CacheGeneration generation = new CacheGeneration();

    @Test
    void aLoadThatOverlapsAnInvalidationOfItsKeyIsAnsweredButNotCached() {
        long seen = generation.current("topics");
        // the change commits and its invalidation arrives while the load is still reading the old value
        generation.bump("topics");
        cache.invalidate("topics");
        generation.putIfCurrent(cache, "topics", "old", seen);

        assertThat(cache.getIfPresent("topics")).isNull();
    }

    @Test
    void aLoadThatOverlapsAnInvalidationOfEverythingIsNotCached() {
        long seenTopics = generation.current("topics");
        long seenUnits = generation.current("units");
        generation.bumpAll();
        cache.invalidateAll();
        generation.putIfCurrent(cache, "topics", "old", seenTopics);
        generation.putIfCurrent(cache, "units", "old", seenUnits);

        assertThat(cache.asMap()).isEmpty();
    }

    @Test
    void aLoadWithNoInvalidationSinceItBeganIsCached() {
        long seen = generation.current("topics");
        generation.putIfCurrent(cache, "topics", "current", seen);

        assertThat(cache.getIfPresent("topics")).isEqualTo("current");
    }

    @Test
    void invalidationsOfOtherKeysDoNotStopALoadFromBeingCached() {
        long seen = generation.current("a");
        // writes to other addresses commit while the load runs: "b" to "z" fall in other stripes than "a"
        for (char other = 'b'; other <= 'z'; other++) {
            generation.bump(String.valueOf(other));
            cache.invalidate(String.valueOf(other));
        }
        generation.putIfCurrent(cache, "a", "current", seen);

        assertThat(cache.getIfPresent("a")).isEqualTo("current");
    }

    @Test
    void anInvalidationWaitingForAnEntryRemovesWhatTheLoadPut() throws Exception {
        long seen = generation.current("topics");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            // the load's put holds the entry while the invalidation arrives
            Future<?> put = pool.submit(() -> cache.asMap().compute("topics", (k, old) -> {
                inside.countDown();
                await(release);
                return generation.current("topics") == seen ? "old" : old;
            }));
            inside.await();
            Future<?> invalidation = pool.submit(() -> {
                generation.bump("topics");
                cache.invalidate("topics");
            });
            release.countDown();
            put.get();
            invalidation.get();
        }

        assertThat(cache.getIfPresent("topics")).isNull();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
