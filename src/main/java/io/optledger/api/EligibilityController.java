package io.optledger.api;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.api.EligibilityPayloads.EligibilityBatch;
import io.optledger.api.EligibilityPayloads.EligibilityBatchResponse;
import io.optledger.api.EligibilityPayloads.EligibilityLookup;
import io.optledger.api.EligibilityPayloads.EligibilityResult;
import io.optledger.api.EligibilityPayloads.LookupError;
import io.optledger.contact.Channel;
import io.optledger.eligibility.Eligibility;
import io.optledger.eligibility.EligibilityService;
import io.optledger.eligibility.EligibilityService.Answer;
import io.optledger.eligibility.EligibilityService.Lookup;
import io.optledger.eligibility.EligibilityService.Target;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
                    + " no_address. A committed change shows in every later answer of the node that made it, and of"
                    + " every other node within a second.")
    Eligibility check(
            Caller caller,
            @RequestParam Channel channel,
            @RequestParam String topic,
            @RequestParam(required = false) @Nullable String email,
            @RequestParam(required = false) @Nullable String phone,
            @RequestParam(required = false) @Nullable Long contactId,
            @RequestParam(required = false) @Nullable String address) {
        return eligibility.check(caller.workspaceId(), channel, topic, target(email, phone, contactId, address));
    }

    @PostMapping("/v1/eligibility/batch")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "Up to 1,000 eligibility questions in one call, with the single form's answers in order",
            description = "A lookup the single form would refuse (400) or not find (404) gets an error in its place;"
                    + " the others are answered.")
    EligibilityBatchResponse checkAll(Caller caller, @Valid @RequestBody EligibilityBatch request) {
        List<EligibilityResult> results = new ArrayList<>(request.lookups().size());
        List<Lookup> lookups = new ArrayList<>(request.lookups().size());
        List<Integer> indexes = new ArrayList<>(request.lookups().size());
        for (int i = 0; i < request.lookups().size(); i++) {
            EligibilityLookup lookup = request.lookups().get(i);
            results.add(null);
            try {
                Target target = target(lookup.email(), lookup.phone(), lookup.contactId(), lookup.address());
                lookups.add(new Lookup(lookup.channel(), lookup.topic(), target));
                indexes.add(i);
            } catch (InvalidInput e) {
                results.set(i, failed(i, ApiProblems.Kind.INVALID_REQUEST, e.getMessage()));
            }
        }
        List<Answer> answers = lookups.isEmpty() ? List.of() : eligibility.checkAll(caller.workspaceId(), lookups);
        for (int j = 0; j < answers.size(); j++) {
            int i = indexes.get(j);
            results.set(
                    i,
                    switch (answers.get(j)) {
                        case Answer.Answered answered -> new EligibilityResult(i, answered.eligibility(), null);
                        case Answer.Invalid invalid ->
                            failed(
                                    i,
                                    ApiProblems.Kind.INVALID_REQUEST,
                                    invalid.error().getMessage());
                        case Answer.Unknown unknown ->
                            failed(
                                    i,
                                    ApiProblems.Kind.NOT_FOUND,
                                    unknown.error().getMessage());
                    });
        }
        return new EligibilityBatchResponse(results);
    }

    private static EligibilityResult failed(int index, ApiProblems.Kind kind, String detail) {
        var problem = kind.problem(detail);
        return new EligibilityResult(
                index,
                null,
                new LookupError(problem.getStatus(), problem.getType().toString(), detail));
    }

    private static Target target(
            @Nullable String email, @Nullable String phone, @Nullable Long contactId, @Nullable String address) {
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
        return targets.getFirst();
    }
}
