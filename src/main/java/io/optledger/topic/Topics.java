package io.optledger.topic;

import io.optledger.audit.Actor;
import io.optledger.audit.WorkspaceEventKind;
import io.optledger.audit.WorkspaceLedger;
import io.optledger.contact.Channel;
import io.optledger.platform.Conflict;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.InvalidatedCache;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.NotFound;
import io.optledger.topic.internal.JdbcTopics;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A workspace's topics. Read on every change and every eligibility check, so they are cached per workspace and kept
 * current across nodes by {@link Invalidations}.
 */
@Service
public class Topics {

    /** Topics are cached and invalidated for the whole workspace at once. */
    private static final String WHOLE = "";

    private final JdbcTopics topics;
    private final WorkspaceLedger ledger;
    private final Clock clock;
    private final InvalidatedCache<Map<String, Topic>> cache;

    Topics(JdbcTopics topics, Invalidations invalidations, WorkspaceLedger ledger, Clock clock) {
        this.topics = topics;
        this.ledger = ledger;
        this.cache = new InvalidatedCache<>(invalidations, Invalidation.Kind.TOPICS);
        this.clock = clock;
    }

    /** The two topics every workspace starts with. */
    @Transactional
    public void createDefaults(long workspaceId) {
        Instant now = clock.instant();
        for (Topic topic : List.of(
                new Topic(
                        "transactional",
                        "Transactional",
                        null,
                        TopicKind.TRANSACTIONAL,
                        true,
                        false,
                        Set.of(),
                        now,
                        now),
                new Topic("marketing", "Marketing", null, TopicKind.MARKETING, false, false, Set.of(), now, now))) {
            topics.insert(workspaceId, topic);
            created(workspaceId, topic, Actor.system("workspace-created"));
        }
        changed(workspaceId);
    }

    @Transactional
    public Topic create(long workspaceId, TopicDraft draft, Actor actor) {
        checkMandatory(draft.kind(), draft.mandatory());
        Topic topic = draft.topic(clock.instant());
        if (!topics.insert(workspaceId, topic)) {
            throw new Conflict("topic '" + draft.key() + "' already exists");
        }
        created(workspaceId, topic, actor);
        changed(workspaceId);
        return topic;
    }

    /**
     * The topic with the draft's key, created from the draft when there is none yet (a dialect's topics appear on first
     * use). Safe when requests on several nodes race to create it.
     */
    @Transactional
    public Topic ensure(long workspaceId, TopicDraft draft) {
        Topic found = byKey(workspaceId).get(draft.key());
        if (found != null) {
            return found;
        }
        Topic topic = draft.topic(clock.instant());
        if (topics.insert(workspaceId, topic)) {
            created(workspaceId, topic, Actor.system("first-use"));
            changed(workspaceId);
            return topic;
        }
        // another request created it first, and its invalidation may not have reached this node yet
        cache.drop(workspaceId, WHOLE);
        return get(workspaceId, draft.key());
    }

    /**
     * Changes the given fields; null leaves a field as it is. The key and kind never change. Atomic: the row is read
     * locked and written in one transaction, so two concurrent changes of different fields both take effect.
     */
    @Transactional
    public Topic update(
            long workspaceId,
            String key,
            @Nullable String name,
            @Nullable String description,
            @Nullable Boolean defaultOptIn,
            @Nullable Boolean mandatory,
            @Nullable Set<Channel> doubleOptIn,
            Actor actor) {
        // read under the row's lock, not from the cache: concurrent changes of different fields all land
        Topic current = topics.lock(workspaceId, key).orElseThrow(() -> new NotFound("no topic '" + key + "'"));
        if (mandatory != null) {
            checkMandatory(current.kind(), mandatory);
        }
        Topic updated = new Topic(
                key,
                name != null ? name : current.name(),
                description != null ? (description.isEmpty() ? null : description) : current.description(),
                current.kind(),
                defaultOptIn != null ? defaultOptIn : current.defaultOptIn(),
                mandatory != null ? mandatory : current.mandatory(),
                doubleOptIn != null ? doubleOptIn : current.doubleOptIn(),
                current.createdAt(),
                clock.instant());
        topics.update(workspaceId, updated);
        String before = policy(current);
        String after = policy(updated);
        if (!before.equals(after)) {
            ledger.append(workspaceId, WorkspaceEventKind.TOPIC_CHANGED, subject(key), before, after, actor);
        }
        changed(workspaceId);
        return updated;
    }

    private void created(long workspaceId, Topic topic, Actor actor) {
        ledger.append(workspaceId, WorkspaceEventKind.TOPIC_CREATED, subject(topic.key()), null, policy(topic), actor);
    }

    /** How the workspace ledger names a topic. */
    public static String subject(String key) {
        return "topic:" + key;
    }

    /** A topic's policy as the workspace ledger records it: what decides eligibility, and its name. */
    static String policy(Topic topic) {
        return "kind=" + topic.kind()
                + " defaultOptIn=" + topic.defaultOptIn()
                + " mandatory=" + topic.mandatory()
                + " doubleOptIn="
                + topic.doubleOptIn().stream().map(Enum::name).sorted().toList()
                + " name=" + topic.name();
    }

    /**
     * Only a transactional topic can be mandatory: a mandatory topic overrides every opt-out, which the law allows for
     * messages a person needs (receipts, security) and never for marketing.
     */
    private static void checkMandatory(TopicKind kind, boolean mandatory) {
        if (mandatory && kind != TopicKind.TRANSACTIONAL) {
            throw new InvalidInput("mandatory", "only a TRANSACTIONAL topic can be mandatory, not a " + kind + " one");
        }
    }

    public List<Topic> list(long workspaceId) {
        return byKey(workspaceId).values().stream()
                .sorted(Comparator.comparing(Topic::key))
                .toList();
    }

    /** Every topic of the workspace by key; cached while {@link Invalidations#isLive()}. */
    public Map<String, Topic> byKey(long workspaceId) {
        return cache.get(workspaceId, WHOLE, () -> load(workspaceId));
    }

    public Optional<Topic> find(long workspaceId, String key) {
        return Optional.ofNullable(byKey(workspaceId).get(key));
    }

    private Map<String, Topic> load(long workspaceId) {
        return topics.findAll(workspaceId).stream()
                .collect(Collectors.toUnmodifiableMap(Topic::key, Function.identity()));
    }

    private void changed(long workspaceId) {
        cache.changed(workspaceId, WHOLE);
    }

    public Topic get(long workspaceId, String key) {
        return find(workspaceId, key).orElseThrow(() -> new NotFound("no topic '" + key + "'"));
    }

    /** A topic to create. */
    public record TopicDraft(
            String key,
            String name,
            @Nullable String description,
            TopicKind kind,
            boolean defaultOptIn,
            boolean mandatory,
            Set<Channel> doubleOptIn) {

        /** A topic without a description, as the dialects create them. */
        public TopicDraft(
                String key,
                String name,
                TopicKind kind,
                boolean defaultOptIn,
                boolean mandatory,
                Set<Channel> doubleOptIn) {
            this(key, name, null, kind, defaultOptIn, mandatory, doubleOptIn);
        }

        Topic topic(Instant createdAt) {
            return new Topic(key, name, description, kind, defaultOptIn, mandatory, doubleOptIn, createdAt, createdAt);
        }
    }
}
