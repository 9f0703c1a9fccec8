package io.optledger.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.optledger.consent.ConsentReads;
import io.optledger.consent.Status;
import io.optledger.contact.Channel;
import io.optledger.eligibility.AddressFactsCache.AddressFacts;
import io.optledger.eligibility.AddressFactsCache.AddressKey;
import io.optledger.platform.Invalidations;
import io.optledger.support.ApiClient;
import io.optledger.support.Await;
import io.optledger.support.WorkspaceApiTest;
import io.optledger.suppression.Suppressions;
import io.optledger.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.util.unit.DataSize;

/** The address facts cache stays within its memory budget, whatever the number of addresses read through it. */
class AddressFactsCacheMemoryTests extends WorkspaceApiTest {

    private static final int ADDRESSES = 400;

    @Autowired
    ConsentReads consent;

    @Autowired
    Suppressions suppressions;

    @Autowired
    Invalidations invalidations;

    @Autowired
    Topics topics;

    @Test
    void holdsNoMoreThanItsBudgetAndStillAnswersEveryAddress() {
        List<Map<String, Object>> items = new ArrayList<>();
        List<AddressKey> keys = new ArrayList<>();
        for (int i = 0; i < ADDRESSES; i++) {
            String email = "budget" + i + "@example.com";
            items.add(Map.of("email", email, "channel", "EMAIL", "topic", "marketing", "action", "OPT_IN"));
            keys.add(new AddressKey(workspace.id(), Channel.EMAIL, email));
        }
        ApiClient.Response signedUp =
                api.post("/v1/subscriptions/changes", workspace.adminKey(), ApiClient.json(Map.of("items", items)));
        assertThat(signedUp.status()).as(signedUp.text()).isEqualTo(200);

        long budget = DataSize.ofKilobytes(64).toBytes();
        AddressFactsCache cache = new AddressFactsCache(consent, suppressions, topics, invalidations, budget);
        Map<AddressKey, AddressFacts> first = cache.getAll(workspace.id(), keys);
        Map<AddressKey, AddressFacts> again = cache.getAll(workspace.id(), keys);

        // 400 addresses with a subscription each weigh about 134 KB by the estimate: a 64 KB cache keeps some
        long oneEntry = CacheMemory.weigh(keys.getFirst(), first.get(keys.getFirst()));
        assertThat(oneEntry * ADDRESSES).isGreaterThan(2 * budget);
        // the node's invalidations reach this cache too: the sign-up's own, read back by the poller while the loads
        // ran (a load overlapping its key's invalidation is not kept), or a drop of every address (an erasure
        // elsewhere in the suite, the poller back after a stall), may leave it empty here: read again after a moment
        Await.until(Duration.ofSeconds(2), Duration.ofMillis(100), () -> {
            if (cache.entries() > 0) {
                return true;
            }
            cache.getAll(workspace.id(), keys);
            return null;
        });
        assertThat(cache.weightedSize()).isPositive().isLessThanOrEqualTo(budget);
        assertThat(cache.entries()).isPositive().isLessThan(ADDRESSES);
        for (AddressKey key : keys) {
            for (Map<AddressKey, AddressFacts> answer : List.of(first, again)) {
                assertThat(answer.get(key).subscriptions())
                        .as(key.address())
                        .extracting(HeldSubscription::topic, HeldSubscription::status)
                        .containsExactly(tuple("marketing", Status.SUBSCRIBED));
            }
        }
        // what is held names its topic by the topic's own string: one copy per topic, not one per address
        String topicKey = topics.get(workspace.id(), "marketing").key();
        assertThat(first.values())
                .allSatisfy(facts ->
                        assertThat(facts.subscriptions().getFirst().topic()).isSameAs(topicKey));
    }

    @Test
    void weighsAnAddressByWhatItHolds() {
        AddressKey key = new AddressKey(1, Channel.EMAIL, "someone@example.com");
        int empty = CacheMemory.weigh(key, new AddressFacts(List.of(), null));
        HeldSubscription subscription = held(null);
        int one = CacheMemory.weigh(key, new AddressFacts(List.of(subscription), null));
        int two = CacheMemory.weigh(key, new AddressFacts(List.of(subscription, subscription), null));
        assertThat(empty).isGreaterThan(2 * key.address().length());
        assertThat(one).isGreaterThan(empty);
        assertThat(two - one).isEqualTo(one - empty);
        // a suspension's end is one more object
        assertThat(CacheMemory.weigh(key, new AddressFacts(List.of(held(Instant.EPOCH)), null)))
                .isGreaterThan(one);
        // a character outside Latin-1 makes the JVM store the whole string at two bytes a character
        AddressKey wide = new AddressKey(1, Channel.EMAIL, "someone@exämple.com".replace('ä', 'ą'));
        assertThat(wide.address()).hasSameSizeAs(key.address());
        assertThat(CacheMemory.weigh(wide, new AddressFacts(List.of(), null)) - empty)
                .isEqualTo(key.address().length());
    }

    @Test
    void takesAFifthOfTheHeapUnlessToldAndRefusesABudgetThatCannotBe() {
        long heap = DataSize.ofMegabytes(448).toBytes();
        assertThat(CacheMemory.budget(null, heap)).isEqualTo(heap / 100 * 20);
        assertThat(CacheMemory.budget(DataSize.ofMegabytes(128), heap))
                .isEqualTo(DataSize.ofMegabytes(128).toBytes());
        assertThatThrownBy(() -> CacheMemory.budget(DataSize.ofKilobytes(1), heap))
                .hasMessageContaining("optledger.eligibility.cache-memory");
        assertThatThrownBy(() -> CacheMemory.budget(DataSize.ofMegabytes(448), heap))
                .hasMessageContaining("less than the maximum heap");
    }

    private static HeldSubscription held(@Nullable Instant suspendedUntil) {
        return new HeldSubscription(
                7,
                "marketing",
                suspendedUntil == null ? Status.SUBSCRIBED : Status.SUSPENDED,
                false,
                Instant.EPOCH,
                suspendedUntil);
    }
}
