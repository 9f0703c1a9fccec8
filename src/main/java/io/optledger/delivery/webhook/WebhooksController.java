package io.optledger.delivery.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.contact.Channel;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The webhook API under {@code /v1/webhooks}: admin keys only. How receivers verify: docs/webhooks.md. */
@RestController
@Tag(name = "Webhooks")
class WebhooksController {

    private static final int MAX_PAGE = 100;

    private final Webhooks webhooks;

    WebhooksController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    record CreateWebhook(
            @NotBlank @Size(max = Destinations.MAX_URL) String url,
            @Nullable @Size(max = Webhooks.MAX_DESCRIPTION) String description,
            @Nullable Boolean enabled,
            @Nullable @Size(max = Webhooks.MAX_FILTER) Set<EventType> eventTypes,
            @Nullable @Size(max = Webhooks.MAX_FILTER) Set<String> topics,
            @Nullable @Size(max = Webhooks.MAX_FILTER) Set<Channel> channels) {}

    record UpdateWebhook(
            @Nullable @Size(min = 1, max = Destinations.MAX_URL)
            String url,

            @Nullable @Size(max = Webhooks.MAX_DESCRIPTION) String description,
            @Nullable Boolean enabled,
            @Nullable @Size(max = Webhooks.MAX_FILTER) Set<EventType> eventTypes,
            @Nullable @Size(max = Webhooks.MAX_FILTER) Set<String> topics,
            @Nullable @Size(max = Webhooks.MAX_FILTER) Set<Channel> channels) {}

    record RotateSecret(@Nullable Duration gracePeriod) {}

    /** An endpoint as the API shows it; {@code secret} only in the answer that created it. */
    record WebhookView(
            String id,
            String url,
            @Nullable String description,
            boolean enabled,
            List<EventType> eventTypes,
            List<String> topics,
            List<Channel> channels,
            @Nullable String disabledReason,
            @Nullable Instant disabledAt,
            @Nullable Instant failingSince,
            @Nullable Instant previousSecretExpiresAt,
            Instant createdAt,
            Instant updatedAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            String secret) {

        static WebhookView of(Endpoint endpoint, boolean withSecret) {
            Instant previousUntil = endpoint.previousSecret() == null ? null : endpoint.previousSecretUntil();
            return new WebhookView(
                    endpoint.id(),
                    endpoint.url().toString(),
                    endpoint.description(),
                    endpoint.enabled(),
                    endpoint.eventTypes().stream().sorted().toList(),
                    endpoint.topics().stream().sorted().toList(),
                    endpoint.channels().stream().sorted().toList(),
                    endpoint.disabledReason(),
                    endpoint.disabledAt(),
                    endpoint.failingSince(),
                    previousUntil,
                    endpoint.createdAt(),
                    endpoint.updatedAt(),
                    withSecret ? endpoint.secret() : null);
        }
    }

    record WebhookList(List<WebhookView> webhooks) {}

    record SecretRotated(String secret, Instant previousSecretExpiresAt) {}

    record AttemptView(
            Instant at,
            @Nullable Integer statusCode,
            long latencyMs,
            @Nullable String error,
            @Nullable String response) {}

    record DeliveryView(
            String id,
            EventType eventType,
            @Nullable Long contactId,
            @Nullable Long ledgerSeq,
            Delivery.Status status,
            @Nullable Instant nextAttemptAt,
            Instant retryUntil,
            Instant createdAt,
            @Nullable Instant finishedAt,
            @Nullable Integer lastStatusCode,
            @Nullable String lastError,
            @JsonRawValue String payload,
            List<AttemptView> attempts) {

        static DeliveryView of(Delivery delivery) {
            return new DeliveryView(
                    delivery.id(),
                    delivery.eventType(),
                    delivery.contactId(),
                    delivery.seq(),
                    delivery.status(),
                    delivery.status() == Delivery.Status.PENDING ? delivery.nextAttemptAt() : null,
                    delivery.retryUntil(),
                    delivery.createdAt(),
                    delivery.finishedAt(),
                    delivery.lastStatus(),
                    delivery.lastError(),
                    delivery.body(),
                    delivery.attemptLog().stream()
                            .map(a -> new AttemptView(a.at(), a.statusCode(), a.latencyMs(), a.error(), a.response()))
                            .toList());
        }
    }

    /** A page of deliveries; {@code next} is the {@code before} of the next page, null on the last. */
    record DeliveryList(
            List<DeliveryView> deliveries, @Nullable String next) {}

    @PostMapping("/v1/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Register a webhook endpoint; its signing secret is in this answer only",
            description = "The URL is http or https, without credentials, and must not resolve to a loopback,"
                    + " private, link-local or cloud-metadata address (400). Empty or absent filters match every event"
                    + " type (subscription.changed, subscription.confirmed, suppression.added, suppression.changed,"
                    + " suppression.lifted, contact.erased), topic and channel. The secret (whsec_"
                    + " and base64) signs every delivery as Standard Webhooks specifies: see docs/webhooks.md.")
    WebhookView create(Caller caller, @Valid @RequestBody CreateWebhook request) {
        return WebhookView.of(
                webhooks.create(
                        caller.workspaceId(),
                        new Webhooks.Draft(
                                request.url(),
                                request.description(),
                                !Boolean.FALSE.equals(request.enabled()),
                                orEmpty(request.eventTypes()),
                                orEmpty(request.topics()),
                                orEmpty(request.channels()))),
                true);
    }

    @GetMapping("/v1/webhooks")
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "The workspace's webhook endpoints, without their secrets")
    WebhookList list(Caller caller) {
        return new WebhookList(webhooks.list(caller.workspaceId()).stream()
                .map(endpoint -> WebhookView.of(endpoint, false))
                .toList());
    }

    @GetMapping("/v1/webhooks/{id}")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "One endpoint: its filters and state",
            description = "disabledReason says why it is off: disabled through the API, a 410 Gone from the"
                    + " receiver, or every attempt failing for longer than optledger.webhooks.disable-after.")
    WebhookView get(Caller caller, @PathVariable String id) {
        return WebhookView.of(webhooks.get(caller.workspaceId(), id), false);
    }

    @PatchMapping("/v1/webhooks/{id}")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Change an endpoint; enabled: true starts it again, with its waiting deliveries",
            description = "Absent fields are left as they are; an empty filter matches everything. A new URL is"
                    + " checked as at creation. Events recorded while an endpoint was disabled are not sent to it.")
    WebhookView update(Caller caller, @PathVariable String id, @Valid @RequestBody UpdateWebhook request) {
        return WebhookView.of(
                webhooks.update(
                        caller.workspaceId(),
                        id,
                        new Webhooks.Patch(
                                request.url(),
                                request.description(),
                                request.enabled(),
                                request.eventTypes(),
                                request.topics(),
                                request.channels())),
                false);
    }

    @DeleteMapping("/v1/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Delete an endpoint: nothing more is sent to it; its deliveries are removed shortly after")
    void delete(Caller caller, @PathVariable String id) {
        webhooks.delete(caller.workspaceId(), id);
    }

    @PostMapping("/v1/webhooks/{id}/rotate-secret")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "A new signing secret, shown once; the old one keeps signing beside it for a grace period",
            description = "gracePeriod is an ISO-8601 duration from PT0S to P7D, 24 hours when absent. Until it ends,"
                    + " webhook-signature carries two v1 signatures, the new secret's first.")
    SecretRotated rotateSecret(
            Caller caller,
            @PathVariable String id,
            @Valid @RequestBody(required = false) @Nullable RotateSecret request) {
        Webhooks.Rotated rotated =
                webhooks.rotate(caller.workspaceId(), id, request == null ? null : request.gracePeriod());
        return new SecretRotated(rotated.secret(), rotated.previousSecretUntil());
    }

    @GetMapping("/v1/webhooks/{id}/deliveries")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "The endpoint's deliveries, newest first, each with every attempt",
            description = "Each attempt: when, the status answered, latency, the error (a timeout, a refused"
                    + " connection or destination, a non-2xx) and the first 1 KiB of the answer. Delivered and"
                    + " given-up deliveries are kept for optledger.webhooks.retention (7 days). Page with before=<the"
                    + " answer's next>; limit 1 to 100, 20 by default.")
    DeliveryList deliveries(
            Caller caller,
            @PathVariable String id,
            @RequestParam(required = false) Delivery.@Nullable Status status,
            @RequestParam(required = false) @Nullable String before,
            @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInput("limit", "limit is 1 to " + MAX_PAGE);
        }
        List<DeliveryView> page = webhooks.deliveries(caller.workspaceId(), id, status, before, limit).stream()
                .map(DeliveryView::of)
                .toList();
        return new DeliveryList(page, page.size() == limit ? page.getLast().id() : null);
    }

    @PostMapping("/v1/webhooks/{id}/deliveries/{deliveryId}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Deliver again: a given-up, delivered or waiting delivery is attempted as soon as its turn comes",
            description = "It keeps its webhook-id, so a receiver that deduplicates sees it once. A contact's events"
                    + " stay in order: the delivery waits for that contact's older waiting ones. Test pings are not"
                    + " retried (409).")
    DeliveryView retry(Caller caller, @PathVariable String id, @PathVariable String deliveryId) {
        return DeliveryView.of(webhooks.retry(caller.workspaceId(), id, deliveryId));
    }

    @PostMapping("/v1/webhooks/{id}/test")
    @RequiresScope(Scope.ADMIN)
    @Operation(
            summary = "Send a signed webhook.test ping now and answer its result",
            description = "One attempt, not retried, whatever the endpoint's state; its outcome leaves the endpoint"
                    + " as it is. status DELIVERED when the receiver answered 2xx, FAILED otherwise, with the attempt.")
    DeliveryView test(Caller caller, @PathVariable String id) {
        return DeliveryView.of(webhooks.test(caller.workspaceId(), id));
    }

    private static <T> Set<T> orEmpty(@Nullable Set<T> values) {
        return values == null ? Set.of() : values;
    }
}
