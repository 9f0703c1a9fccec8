package io.optledger.topic;

import io.optledger.contact.Channel;
import io.optledger.platform.Conflict;
import io.optledger.platform.NotFound;
import io.optledger.topic.internal.JdbcTopics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** A workspace's topics. */
@Service
public class Topics {

    private final JdbcTopics topics;
    private final Clock clock;

    Topics(JdbcTopics topics, Clock clock) {
        this.topics = topics;
        this.clock = clock;
    }

    /** The two topics every workspace starts with. */
    public void createDefaults(long workspaceId) {
        Instant now = clock.instant();
        topics.insert(
                workspaceId,
                new Topic("transactional", "Transactional", TopicKind.TRANSACTIONAL, true, false, Set.of(), now, now));
        topics.insert(
                workspaceId,
                new Topic("marketing", "Marketing", TopicKind.MARKETING, false, false, Set.of(), now, now));
    }

    public Topic create(long workspaceId, TopicDraft draft) {
        Instant now = clock.instant();
        Topic topic = new Topic(
                draft.key(),
                draft.name(),
                draft.kind(),
                draft.defaultOptIn(),
                draft.mandatory(),
                draft.doubleOptIn(),
                now,
                now);
        if (!topics.insert(workspaceId, topic)) {
            throw new Conflict("topic '" + draft.key() + "' already exists");
        }
        return topic;
    }

    /** Changes the given fields; null leaves a field as it is. The key and kind never change. */
    public Topic update(
            long workspaceId,
            String key,
            @Nullable String name,
            @Nullable Boolean defaultOptIn,
            @Nullable Boolean mandatory,
            @Nullable Set<Channel> doubleOptIn) {
        Topic current = get(workspaceId, key);
        Topic updated = new Topic(
                key,
                name != null ? name : current.name(),
                current.kind(),
                defaultOptIn != null ? defaultOptIn : current.defaultOptIn(),
                mandatory != null ? mandatory : current.mandatory(),
                doubleOptIn != null ? doubleOptIn : current.doubleOptIn(),
                current.createdAt(),
                clock.instant());
        topics.update(workspaceId, updated);
        return updated;
    }

    public List<Topic> list(long workspaceId) {
        return topics.findAll(workspaceId);
    }

    public Map<String, Topic> byKey(long workspaceId) {
        return list(workspaceId).stream().collect(Collectors.toMap(Topic::key, Function.identity()));
    }

    public Optional<Topic> find(long workspaceId, String key) {
        return topics.find(workspaceId, key);
    }

    public Topic get(long workspaceId, String key) {
        return find(workspaceId, key).orElseThrow(() -> new NotFound("no topic '" + key + "'"));
    }

    /** A topic to create. */
    public record TopicDraft(
            String key,
            String name,
            TopicKind kind,
            boolean defaultOptIn,
            boolean mandatory,
            Set<Channel> doubleOptIn) {}
}
