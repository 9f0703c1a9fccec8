package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.contact.Channel;
import io.optledger.eligibility.Eligibility;
import io.optledger.eligibility.EligibilityService;
import io.optledger.eligibility.EligibilityService.Target;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Eligibility")
class EligibilityController {

    private final EligibilityService eligibility;

    EligibilityController(EligibilityService eligibility) {
        this.eligibility = eligibility;
    }

    @GetMapping("/v1/eligibility")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "May a message about this topic go to this address on this channel now, and why",
            description = "Give exactly one of email, phone, contactId or address. Reasons: suppressed, mandatory,"
                    + " subscribed, opted_out, pending, suspended, suspended_until, suspension_ended, topic_default,"
                    + " no_address.")
    Eligibility check(
            Caller caller,
            @RequestParam Channel channel,
            @RequestParam String topic,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable String phone,
            @RequestParam(required = false) @Nullable Long contactId,
            @RequestParam(required = false) @Nullable String address) {
        List<Target> targets = new ArrayList<>(1);
        if (email != null) {
            targets.add(new Target.Email(email));
        }
        if (phone != null) {
            targets.add(new Target.Phone(phone));
        }
        if (contactId != null) {
            targets.add(new Target.ContactId(contactId));
        }
        if (address != null) {
            targets.add(new Target.Address(address));
        }
        if (targets.size() != 1) {
            throw new InvalidInput("address", "give exactly one of email, phone, contactId or address");
        }
        return eligibility.check(caller.workspaceId(), channel, topic, targets.getFirst());
    }
}
