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
 * one entry or all of them, and whichever finishes first.
 */
class CacheGenerationTests {

    private final Cache<String, String> cache = Caffeine.newBuilder().build();
    private final CacheGeneration generation = new CacheGeneration();

    @Test
    void aLoadThatOverlapsAnInvalidationIsAnsweredButNotCached() {
        long seen = generation.current();
        // the change commits and its invalidation arrives while the load is still reading the old value
        generation.bump();
        cache.invalidateAll();
        generation.putIfCurrent(cache, "topics", "old", seen);

        assertThat(cache.getIfPresent("topics")).isNull();
    }

    @Test
    void aLoadWithNoInvalidationSinceItBeganIsCached() {
        long seen = generation.current();
        generation.putIfCurrent(cache, "topics", "current", seen);

        assertThat(cache.getIfPresent("topics")).isEqualTo("current");
    }

    @Test
    void anInvalidationWaitingForAnEntryRemovesWhatTheLoadPut() throws Exception {
        long seen = generation.current();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            // the load's put holds the entry while the invalidation arrives
            Future<?> put = pool.submit(() -> cache.asMap().compute("topics", (k, old) -> {
                inside.countDown();
                await(release);
                return generation.current() == seen ? "old" : old;
            }));
            inside.await();
            Future<?> invalidation = pool.submit(() -> {
                generation.bump();
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
