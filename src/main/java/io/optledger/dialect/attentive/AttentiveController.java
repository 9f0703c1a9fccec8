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
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
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

    private final AttentiveSubscriptions subscriptions;

    AttentiveController(AttentiveSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping("/attentive/v1/subscriptions")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @RateLimited(RateLimited.Bucket.SUBSCRIBE)
    SubscribeResponse subscribe(Caller caller, HttpServletRequest http, @RequestBody SubscribeRequest request) {
        return subscriptions.subscribe(caller.workspaceId(), RequestContext.of(http, caller.keyId()), request);
    }

    @GetMapping("/attentive/v1/subscriptions")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @RateLimited(RateLimited.Bucket.OTHER)
    EligibilityResponse eligibility(
            Caller caller,
            @RequestParam(required = false) @Nullable String phone,
            @RequestParam(required = false) @Nullable String email) {
        return subscriptions.eligibility(caller.workspaceId(), phone, email);
    }

    @PostMapping("/attentive/v1/subscriptions/unsubscribe")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    @RateLimited(RateLimited.Bucket.UNSUBSCRIBE)
    UnsubscribeResponse unsubscribe(Caller caller, HttpServletRequest http, @RequestBody UnsubscribeRequest request) {
        return subscriptions.unsubscribe(caller.workspaceId(), RequestContext.of(http, caller.keyId()), request);
    }
}
