package io.optledger.dialect.capillary;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Capillary v2's request and response bodies, field for field, in the order Capillary writes them. */
final class CapillaryV2Payloads {

    private CapillaryV2Payloads() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UpdateRequest(
            @Nullable Long communicationId,
            @Nullable Long campaignId,
            @Nullable String reason,
            @Nullable Scope scope,
            @Nullable List<Item> subscriptions) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Scope(@Nullable String scope, @Nullable String subScope) {}

    /** One subscription, as requested and as echoed (normalised: channel and enums in Capillary's spelling). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(
            @Nullable String channel,
            @Nullable String accountId,
            @Nullable String priority,
            @Nullable String type,
            @Nullable Long orgUnitId,
            @Nullable String sourceName) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UpdateResponse(
            @Nullable Scope scope,
            List<Item> subscriptions,
            @Nullable Long campaignId,
            @Nullable Long communicationId,
            @Nullable String reason,
            List<Message> warnings) {}

    /** An entry of {@code warnings} or {@code errors}. */
    record Message(boolean status, String message, int code) {}

    record ErrorResponse(List<Message> warnings, List<Message> errors) {

        static ErrorResponse of(List<Message> warnings, List<Message> errors) {
            return new ErrorResponse(warnings, errors);
        }
    }

    /** The current subscriptions of a customer. */
    record SubscriptionsResponse(long userId, List<Item> subscriptions, List<Message> warnings) {}

    /** {@code GET customers/{userId}/subscriptionStatusChangeLog}. */
    record ChangeLogResponse(List<ChangeLogEntry> data, List<Message> warnings, List<Message> errors) {}

    /**
     * One status change. {@code addedBy} and {@code addedOn} are as Capillary writes them (-1 for API changes, a date);
     * {@code addedByKey} and {@code addedAt} say exactly which key and when.
     */
    record ChangeLogEntry(
            long orgUnitId,
            String source,
            String accountId,
            long orgSourceId,
            int commChannelId,
            String commChannelType,
            long communicationCategoryId,
            String priority,
            boolean status,
            long addedBy,
            String addedOn,
            String reason,
            @Nullable String addedByKey,
            Instant addedAt) {}

    /** {@code POST /v2/customers}: the profiles' identifiers and names; Capillary's other customer fields are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CustomerRequest(@Nullable List<Profile> profiles) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Profile(
            @Nullable String firstName,
            @Nullable String lastName,
            @Nullable List<IdentifierValue> identifiers,
            @Nullable String source) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IdentifierValue(@Nullable String type, @Nullable String value) {}

    record CustomerCreated(long createdId, List<Message> warnings, List<Object> sideEffects) {}

    record CustomerResponse(
            long id, List<Profile> profiles, Map<String, Object> extendedFields, List<Message> warnings) {}
}
