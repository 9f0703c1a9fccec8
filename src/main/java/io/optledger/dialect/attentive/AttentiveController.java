package io.optledger.dialect.attentive;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.consent.RequestContext;
import io.optledger.dialect.attentive.AttentivePayloads.EligibilityResponse;
import io.optledger.dialect.attentive.AttentivePayloads.SubscribeRequest;
import io.optledger.dialect.attentive.AttentivePayloads.SubscribeResponse;
import io.optledger.dialect.attentive.AttentivePayloads.UnsubscribeRequest;
import io.optledger.dialect.attentive.AttentivePayloads.UnsubscribeResponse;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Attentive's Subscribers API: subscribe, eligibility, unsubscribe. All three need {@code subscriptions:write}, as
 * Attentive requires; a 202 means the change is committed and its texts are queued.
 */
@SecurityRequirement(name = AttentiveOpenApi.SCHEME)
@RestController
class AttentiveController {

    private final AttentiveSignUps signUps;
    private final AttentiveSubscribers subscribers;
    private final AttentiveBodies bodies;

    AttentiveController(AttentiveSignUps signUps, AttentiveSubscribers subscribers, AttentiveBodies bodies) {
        this.signUps = signUps;
        this.subscribers = subscribers;
        this.bodies = bodies;
    }

    @PostMapping("/attentive/v1/subscriptions")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @RateLimited(RateLimited.Bucket.SUBSCRIBE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = SubscribeRequest.class)))
    SubscribeResponse subscribe(Caller caller, HttpServletRequest http, @RequestBody byte[] body)
            throws HttpMediaTypeNotSupportedException {
        SubscribeRequest request = bodies.read(http, body, SubscribeRequest.class);
        return signUps.subscribe(caller.workspaceId(), RequestContext.of(http, caller.keyId()), request);
    }

    @GetMapping("/attentive/v1/subscriptions")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @RateLimited(RateLimited.Bucket.OTHER)
    EligibilityResponse eligibility(
            Caller caller,
            @RequestParam(required = false) @Nullable String phone,
            @RequestParam(required = false) @Nullable String email) {
        // a client's form sends both parameters, one of them empty: an empty one is not given
        return subscribers.eligibility(caller.workspaceId(), blankToNull(phone), blankToNull(email));
    }

    @PostMapping("/attentive/v1/subscriptions/unsubscribe")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @RateLimited(RateLimited.Bucket.UNSUBSCRIBE)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = UnsubscribeRequest.class)))
    UnsubscribeResponse unsubscribe(Caller caller, HttpServletRequest http, @RequestBody byte[] body)
            throws HttpMediaTypeNotSupportedException {
        UnsubscribeRequest request = bodies.read(http, body, UnsubscribeRequest.class);
        return subscribers.unsubscribe(caller.workspaceId(), RequestContext.of(http, caller.keyId()), request);
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
