package io.optledger.delivery.webhook;

import io.optledger.contact.Channel;
import io.optledger.delivery.webhook.internal.JdbcAttempts;
import io.optledger.delivery.webhook.internal.JdbcDeliveries;
import io.optledger.delivery.webhook.internal.JdbcEndpoints;
import io.optledger.delivery.webhook.internal.JdbcFanOut;
import io.optledger.delivery.webhook.internal.JdbcLanes;
import io.optledger.platform.Conflict;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import io.optledger.topic.Topic;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A workspace's webhook endpoints and their deliveries: create, change, disable, delete, rotate the secret, list what
 * was delivered, retry one delivery, and send a test ping now.
 */
@Service
public class Webhooks {

    static final int MAX_ENDPOINTS = 100;
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_FILTER = 100;
    static final Duration DEFAULT_GRACE = Duration.ofHours(24);
    static final Duration MAX_GRACE = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcEndpoints endpoints;
    private final JdbcDeliveries deliveries;
    private final JdbcAttempts attempts;
    private final JdbcLanes lanes;
    private final JdbcFanOut fanOut;
    private final Destinations destinations;
    private final WebhookSender sender;
    private final WebhookEvents events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final WebhookSettings settings;

    Webhooks(
            JdbcEndpoints endpoints,
            JdbcDeliveries deliveries,
            JdbcAttempts attempts,
            JdbcLanes lanes,
            JdbcFanOut fanOut,
            Destinations destinations,
            WebhookSender sender,
            WebhookEvents events,
            TransactionTemplate tx,
            Clock clock,
            WebhookSettings settings) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.attempts = attempts;
        this.lanes = lanes;
        this.fanOut = fanOut;
        this.destinations = destinations;
        this.sender = sender;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.settings = settings;
    }

    /** An endpoint to create; empty filters match everything. */
    public record Draft(
            String url,
            @Nullable String description,
            boolean enabled,
            Set<EventType> eventTypes,
            Set<String> topics,
            Set<Channel> channels) {}

    /** Changes to an endpoint; null leaves a field as it is, an empty filter matches everything. */
    public record Patch(
            @Nullable String url,
            @Nullable String description,
            @Nullable Boolean enabled,
            @Nullable Set<EventType> eventTypes,
            @Nullable Set<String> topics,
            @Nullable Set<Channel> channels) {}

    /** A new secret, and until when the one it replaced still signs beside it. */
    public record Rotated(String secret, Instant previousSecretUntil) {}

    /** Creates an endpoint; its secret is in the answer, and never shown again. */
    @Transactional
    public Endpoint create(long workspaceId, Draft draft) {
        URI url = destinations.check("url", draft.url());
        if (endpoints.count(workspaceId) >= MAX_ENDPOINTS) {
            throw new Conflict("a workspace has at most " + MAX_ENDPOINTS + " webhook endpoints");
        }
        Instant now = clock.instant();
        Endpoint endpoint = new Endpoint(
                workspaceId,
                "wh_" + HexFormat.of().formatHex(random(12)),
                url,
                description(draft.description()),
                draft.enabled(),
                eventTypes(draft.eventTypes()),
                topics(draft.topics()),
                channels(draft.channels()),
                Signatures.newSecret(),
                null,
                null,
                null,
                draft.enabled() ? null : "created disabled",
                draft.enabled() ? null : now,
                now,
                now);
        endpoints.insert(endpoint);
        fanOut.start(workspaceId, now);
        return endpoint;
    }

    public List<Endpoint> list(long workspaceId) {
        return endpoints.list(workspaceId);
    }

    public Endpoint get(long workspaceId, String id) {
        return endpoints.find(workspaceId, id).orElseThrow(() -> notFound(id));
    }

    /** Applies the patch; enabling starts the endpoint's waiting deliveries again, disabling pauses them. */
    @Transactional
    public Endpoint update(long workspaceId, String id, Patch patch) {
        Endpoint current = endpoints.lock(workspaceId, id).orElseThrow(() -> notFound(id));
        Instant now = clock.instant();
        Endpoint changed = new Endpoint(
                workspaceId,
                id,
                patch.url() == null ? current.url() : destinations.check("url", patch.url()),
                patch.description() == null ? current.description() : description(patch.description()),
                current.enabled(),
                patch.eventTypes() == null ? current.eventTypes() : eventTypes(patch.eventTypes()),
                patch.topics() == null ? current.topics() : topics(patch.topics()),
                patch.channels() == null ? current.channels() : channels(patch.channels()),
                current.secret(),
                current.previousSecret(),
                current.previousSecretUntil(),
                current.failingSince(),
                current.disabledReason(),
                current.disabledAt(),
                current.createdAt(),
                now);
        endpoints.update(changed, now);
        if (Boolean.TRUE.equals(patch.enabled())) {
            endpoints.enable(workspaceId, id, now);
        } else if (Boolean.FALSE.equals(patch.enabled())) {
            endpoints.disable(workspaceId, id, "disabled through the API", false, now);
        }
        return get(workspaceId, id);
    }

    /** Deletes the endpoint: nothing more is sent to it, and its deliveries are removed shortly after. */
    @Transactional
    public void delete(long workspaceId, String id) {
        endpoints.lock(workspaceId, id).orElseThrow(() -> notFound(id));
        endpoints.disable(workspaceId, id, "deleted", true, clock.instant());
    }

    /** A new secret; the current one keeps signing beside it for {@code grace} (24 hours when null). */
    @Transactional
    public Rotated rotate(long workspaceId, String id, @Nullable Duration grace) {
        Duration period = grace == null ? DEFAULT_GRACE : grace;
        if (period.isNegative() || period.compareTo(MAX_GRACE) > 0) {
            throw new InvalidInput("gracePeriod", "a grace period is from PT0S to " + MAX_GRACE);
        }
        Instant now = clock.instant();
        String secret = Signatures.newSecret();
        if (!endpoints.rotate(workspaceId, id, secret, now.plus(period), now)) {
            throw notFound(id);
        }
        return new Rotated(secret, now.plus(period));
    }

    /** A page of the endpoint's deliveries, newest first, each with every attempt. */
    public List<Delivery> deliveries(
            long workspaceId, String id, Delivery.@Nullable Status status, @Nullable String before, int limit) {
        get(workspaceId, id);
        return deliveries.list(workspaceId, id, status, before, limit);
    }

    /**
     * Attempts the delivery again as soon as its turn comes (at once when it is its contact's oldest waiting), with a
     * fresh retry period; a delivered or given-up one included.
     */
    @Transactional
    public Delivery retry(long workspaceId, String id, String deliveryId) {
        // endpoint, then lane, then delivery: the order every transaction that writes them takes
        Endpoint endpoint = endpoints.lock(workspaceId, id).orElseThrow(() -> notFound(id));
        Delivery delivery = deliveries
                .find(workspaceId, id, deliveryId)
                .orElseThrow(() -> new NotFound("no delivery '" + deliveryId + "' of webhook '" + id + "'"));
        Long contactId = delivery.contactId();
        if (contactId == null) {
            throw new Conflict("a test ping is not retried: send another with POST /v1/webhooks/" + id + "/test");
        }
        Instant now = clock.instant();
        lanes.lockAny(workspaceId, id, contactId);
        deliveries.reopen(workspaceId, id, deliveryId, now, now.plus(settings.retryFor()));
        lanes.reschedule(workspaceId, id, contactId, !endpoint.enabled());
        return deliveries.find(workspaceId, id, deliveryId).orElseThrow();
    }

    /**
     * Sends a signed {@code webhook.test} ping now and answers its delivery with the one attempt; not retried, and
     * whatever it answers leaves the endpoint's state alone. Sent to a disabled endpoint too.
     */
    public Delivery test(long workspaceId, String id) {
        Endpoint endpoint = get(workspaceId, id);
        Instant now = clock.instant();
        String deliveryId = newDeliveryId();
        String body = events.ping(endpoint, now);
        deliveries.insertPing(workspaceId, deliveryId, id, body, now);
        Delivery ping = deliveries.find(workspaceId, id, deliveryId).orElseThrow();
        WebhookSender.Result result = sender.send(endpoint, deliveryId, body);
        Instant done = clock.instant();
        tx.executeWithoutResult(status -> attempts.recordOutcomes(List.of(new JdbcAttempts.Outcome(
                ping,
                result.attempt(),
                result.attempt().delivered() ? Delivery.Status.DELIVERED : Delivery.Status.FAILED,
                done,
                done))));
        return deliveries.find(workspaceId, id, deliveryId).orElseThrow();
    }

    /** A {@code webhook-id}: random, so it tells a receiver nothing of other workspaces' volumes. */
    static String newDeliveryId() {
        return "msg_" + HexFormat.of().formatHex(random(16));
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }

    private static NotFound notFound(String id) {
        return new NotFound("no webhook '" + id + "'");
    }

    private static @Nullable String description(@Nullable String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new InvalidInput("description", "a description is at most " + MAX_DESCRIPTION + " characters");
        }
        return description == null || description.isBlank() ? null : description;
    }

    private static Set<EventType> eventTypes(Set<EventType> types) {
        noNulls("eventTypes", types);
        if (types.contains(EventType.WEBHOOK_TEST)) {
            throw new InvalidInput(
                    "eventTypes",
                    "webhook.test is sent by POST /v1/webhooks/{id}/test only; choose among "
                            + EventType.subscribable().stream()
                                    .map(EventType::value)
                                    .toList());
        }
        return types;
    }

    private static Set<String> topics(Set<String> topics) {
        noNulls("topics", topics);
        if (topics.size() > MAX_FILTER) {
            throw new InvalidInput("topics", "at most " + MAX_FILTER + " topics");
        }
        for (String topic : topics) {
            try {
                Topic.requireKey(topic);
            } catch (InvalidInput e) {
                throw new InvalidInput("topics", e.getMessage());
            }
        }
        return topics;
    }

    private static Set<Channel> channels(Set<Channel> channels) {
        noNulls("channels", channels);
        return channels;
    }

    private static void noNulls(String field, Set<?> values) {
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidInput(field, field + " holds no null");
        }
    }
}
