package io.optledger.dialect.attentive;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Attentive's request and response bodies, field for field. */
final class AttentivePayloads {

    private AttentivePayloads() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record User(@Nullable String phone, @Nullable String email) {}

    record CustomIdentifier(@Nullable String name, @Nullable String value) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExternalIdentifiers(
            @Nullable String clientUserId,
            @Nullable String shopifyId,
            @Nullable String klaviyoId,
            @Nullable List<CustomIdentifier> customIdentifiers) {}

    record Locale(@Nullable String language, @Nullable String country) {}

    record SubscribeRequest(
            @Nullable User user,
            @Nullable String signUpSourceId,
            @Nullable ExternalIdentifiers externalIdentifiers,
            @Nullable Locale locale,
            @Nullable String subscriptionType,
            @Nullable Boolean singleOptIn) {}

    record Subscription(String type, String channel) {}

    record CreationResponse(Subscription subscription, String subscriptionCreationStatus) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SubscribeResponse(
            User user,
            @Nullable ExternalIdentifiers externalIdentifiers,
            List<CreationResponse> subscriptionResponses) {}

    record Eligibility(boolean isEligible) {}

    record SubscriptionEligibility(Subscription subscription, Eligibility eligibility) {}

    record EligibilityResponse(List<SubscriptionEligibility> subscriptionEligibilities) {}

    record RequestedSubscription(
            @Nullable String type, @Nullable String channel) {}

    record Notification(@Nullable String language, @Nullable Boolean disabled) {}

    record UnsubscribeRequest(
            @Nullable User user,
            @Nullable List<RequestedSubscription> subscriptions,
            @Nullable Notification notification) {}

    record UnsubscribeResponse(User user, List<UnsubscribeStatus> subscriptionResponses) {}

    record UnsubscribeStatus(Subscription subscription, String subscriptionUnsubscribeStatus) {}

    record Error(String id, String message) {}

    record ErrorResponse(Error error) {}
}
