package io.optledger.dialect.capillary;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Capillary v1.1's request and response bodies, field for field. */
final class CapillaryV11Payloads {

    private CapillaryV11Payloads() {}

    /** {@code {"root": {"subscription": [...]}}}; a single subscription object is taken as a list of one. */
    record UpdateRequest(@Nullable Root root) {}

    record Root(
            @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @Nullable
            List<Item> subscription) {}

    /** One change; enum values in any case, {@code is_subscribed} as a string or a number. */
    record Item(
            @Nullable String id,
            @Nullable String mobile,
            @Nullable String email,
            @JsonProperty("external_id") @Nullable String externalId,
            @Nullable String priority,
            @Nullable String scope,
            @Nullable String channel,
            @JsonProperty("is_subscribed") @Nullable String isSubscribed) {}

    record Envelope(Body response) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(Status status, @Nullable Subscriptions subscriptions) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(
            boolean success,
            int code,
            String message,
            @Nullable Integer total,
            @JsonProperty("success_count") @Nullable Integer successCount) {

        static Status failure(int code, String message) {
            return new Status(false, code, message, null, null);
        }
    }

    record Subscriptions(List<ItemResult> subscription) {}

    /** One item's result: the customer as found (or as named, when not found), the subscription and its status. */
    record ItemResult(
            @JsonProperty("user_id") @Nullable String userId,
            @Nullable String mobile,
            @Nullable String email,
            @Nullable String channel,
            @Nullable String priority,
            @Nullable String scope,
            @JsonProperty("is_subscribed") @Nullable Integer isSubscribed,
            @JsonProperty("item_status") ItemStatus itemStatus) {}

    record ItemStatus(boolean success, int code, String message) {

        static ItemStatus of(CapillaryCode code, String message) {
            return new ItemStatus(code == CapillaryCode.SUCCESS, code.code(), message);
        }
    }
}
