package io.optledger.dialect.altcraft;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.Settings;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import io.optledger.topic.Topics;
import io.optledger.topic.Topics.TopicDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Altcraft databases and resources registered in a workspace, kept as {@link Settings}. */
@Component
class AltcraftRegistry {

    private static final String DATABASES = "altcraft.database";
    private static final String RESOURCES = "altcraft.resource";
    private static final int MAX_NAME = 200;

    private final Settings settings;
    private final Topics topics;
    private final JsonMapper json;

    /**
     * Each stored value read into its record once, by the identity of its tree: {@link Settings} keeps a value's
     * tree while the value is unchanged, so a call that names a database and a resource (every subscription method)
     * converts neither again. A changed value is a new tree; the old one is dropped with its last reference.
     */
    private final Cache<JsonNode, Object> read =
            Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

    AltcraftRegistry(Settings settings, Topics topics, JsonMapper json) {
        this.settings = settings;
        this.topics = topics;
        this.json = json;
    }

    /** An Altcraft database: where profiles live. */
    record Database(long id, String name) {}

    /**
     * An Altcraft resource: a topic, the channels it is sent on, the categories one may subscribe to, and the resource
     * token ({@code rtoken}) its unsubscribe links carry, if one was registered.
     */
    record Resource(
            long id,
            String name,
            String topic,
            List<String> channels,
            List<String> categories,
            @Nullable String rtoken) {

        boolean has(AltcraftChannel channel) {
            return channels.contains(channel.apiName());
        }
    }

    Database putDatabase(long workspaceId, long id, @Nullable String name) {
        Database database = new Database(requirePositive(id, "dbId"), requireName(name));
        settings.put(workspaceId, DATABASES, Long.toString(id), database);
        return database;
    }

    /** Registers or replaces a resource; its topic is created (MARKETING, not subscribed until asked) if missing. */
    Resource putResource(
            long workspaceId,
            long id,
            @Nullable String name,
            @Nullable String topic,
            @Nullable List<String> channels,
            @Nullable List<String> categories,
            @Nullable String rtoken) {
        requirePositive(id, "resourceId");
        if (topic == null) {
            throw new InvalidInput("topic", "give the key of the topic the resource is");
        }
        if (channels == null || channels.isEmpty()) {
            throw new InvalidInput("channels", "give at least one of email, sms, push, telegram_bot, whatsapp");
        }
        Set<String> known = new LinkedHashSet<>();
        for (String channel : channels) {
            known.add(AltcraftChannel.of(channel)
                    .orElseThrow(() -> new InvalidInput(
                            "channels", "'" + channel + "' is not one of email, sms, push, telegram_bot, whatsapp"))
                    .apiName());
        }
        Set<String> cats = new LinkedHashSet<>();
        for (String category : categories == null ? List.<String>of() : categories) {
            if (category == null || category.isBlank() || category.length() > MAX_NAME) {
                throw new InvalidInput("categories", "a category name is 1 to " + MAX_NAME + " characters");
            }
            cats.add(category.strip());
        }
        String token = rtoken == null || rtoken.isBlank() ? null : rtoken.strip();
        if (token != null && token.length() > MAX_NAME) {
            throw new InvalidInput("rtoken", "a resource token is at most " + MAX_NAME + " characters");
        }
        if (token != null
                && resources(workspaceId).stream()
                        .anyMatch(other -> other.id() != id && token.equals(other.rtoken()))) {
            throw new InvalidInput("rtoken", "another resource has this rtoken");
        }
        String resourceName = requireName(name);
        Topic.requireKey(topic);
        topics.ensure(workspaceId, new TopicDraft(topic, resourceName, TopicKind.MARKETING, false, false, Set.of()));
        Resource resource = new Resource(id, resourceName, topic, List.copyOf(known), List.copyOf(cats), token);
        settings.put(workspaceId, RESOURCES, Long.toString(id), resource);
        return resource;
    }

    List<Database> databases(long workspaceId) {
        return new ArrayList<>(all(workspaceId, DATABASES, Database.class).values());
    }

    List<Resource> resources(long workspaceId) {
        return new ArrayList<>(all(workspaceId, RESOURCES, Resource.class).values());
    }

    Database database(long workspaceId, long id) {
        return settings.get(workspaceId, DATABASES, Long.toString(id), JsonNode.class)
                .map(value -> read(value, Database.class))
                .orElseThrow(() -> AltcraftError.UNKNOWN_DATABASE.failure("db_id " + id));
    }

    Resource resource(long workspaceId, long id) {
        return settings.get(workspaceId, RESOURCES, Long.toString(id), JsonNode.class)
                .map(value -> read(value, Resource.class))
                .orElseThrow(() -> AltcraftError.UNKNOWN_RESOURCE.failure("resource_id " + id));
    }

    /** Every value of a namespace as records, by key in key order. */
    private <T> Map<String, T> all(long workspaceId, String namespace, Class<T> type) {
        Map<String, T> all = new LinkedHashMap<>();
        settings.all(workspaceId, namespace, JsonNode.class).forEach((key, value) -> all.put(key, read(value, type)));
        return all;
    }

    private <T> T read(JsonNode value, Class<T> type) {
        return type.cast(read.get(value, tree -> json.treeToValue(tree, type)));
    }

    /** The resource whose unsubscribe links carry this {@code rtoken}, or {@link AltcraftError#UNKNOWN_RESOURCE}. */
    Resource resourceByToken(long workspaceId, String rtoken) {
        return resources(workspaceId).stream()
                .filter(resource -> rtoken.equals(resource.rtoken()))
                .findFirst()
                .orElseThrow(() -> AltcraftError.UNKNOWN_RESOURCE.failure("no resource has rtoken '" + rtoken + "'"));
    }

    /** The registered resources by topic key (the lowest id where several share a topic). */
    Map<String, Resource> resourcesByTopic(long workspaceId) {
        Map<String, Resource> byTopic = new HashMap<>();
        for (Resource resource : all(workspaceId, RESOURCES, Resource.class).values()) {
            byTopic.merge(resource.topic(), resource, (a, b) -> a.id() <= b.id() ? a : b);
        }
        return byTopic;
    }

    private static long requirePositive(long id, String field) {
        if (id < 1) {
            throw new InvalidInput(field, "an id is a positive integer");
        }
        return id;
    }

    private static String requireName(@Nullable String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new InvalidInput("name", "a name is 1 to " + MAX_NAME + " characters");
        }
        return name.strip();
    }
}
