package io.optledger.dialect.capillary;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.contact.Contact;
import io.optledger.contact.Contacts;
import io.optledger.contact.Identifier;
import io.optledger.dialect.capillary.CapillaryV2Payloads.CustomerCreated;
import io.optledger.dialect.capillary.CapillaryV2Payloads.CustomerRequest;
import io.optledger.dialect.capillary.CapillaryV2Payloads.CustomerResponse;
import io.optledger.dialect.capillary.CapillaryV2Payloads.IdentifierValue;
import io.optledger.dialect.capillary.CapillaryV2Payloads.Message;
import io.optledger.dialect.capillary.CapillaryV2Payloads.Profile;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The little of Capillary's v2 customer API that subscribing needs: register a customer by its identifiers and find it
 * again. Names and source are kept as contact attributes; Capillary's other customer fields are not modelled.
 */
@SecurityRequirement(name = CapillaryOpenApi.SCHEME)
@RestController
class CapillaryCustomersController {

    private static final String FIRST_NAME = "firstName";
    private static final String LAST_NAME = "lastName";
    private static final String SOURCE = "source";

    private final CapillaryCustomers customers;

    CapillaryCustomersController(CapillaryCustomers customers) {
        this.customers = customers;
    }

    /** Registers a customer, or answers the one its identifiers already name (adding those it lacks). */
    @PostMapping("/capillary/v2/customers")
    @RequiresScope(Scope.SUBSCRIPTIONS_WRITE)
    CustomerCreated create(
            Caller caller,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format,
            @RequestBody CustomerRequest request) {
        CapillaryFormat.requireJson(format);
        if (request.profiles() == null
                || request.profiles().isEmpty()
                || request.profiles().contains(null)) {
            throw CapillaryFailure.badRequest("profiles: give at least one profile with identifiers");
        }
        List<Identifier> identifiers = new ArrayList<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int p = 0; p < request.profiles().size(); p++) {
            Profile profile = request.profiles().get(p);
            List<IdentifierValue> given = profile.identifiers() == null ? List.of() : profile.identifiers();
            for (int i = 0; i < given.size(); i++) {
                IdentifierValue identifier = given.get(i);
                String field = "profiles[" + p + "].identifiers[" + i + "]";
                if (identifier == null || identifier.type() == null || identifier.value() == null) {
                    throw CapillaryFailure.of(CapillaryCode.INVALID_IDENTIFIER, field + ": give a type and a value");
                }
                if (identifier.type().strip().equalsIgnoreCase(CapillaryCustomers.ID)) {
                    throw CapillaryFailure.of(
                            CapillaryCode.INVALID_IDENTIFIER, field + ": ids are assigned, not given");
                }
                try {
                    identifiers.add(customers.identifier(caller.workspaceId(), identifier.type(), identifier.value()));
                } catch (InvalidInput e) {
                    throw CapillaryFailure.of(CapillaryCode.INVALID_IDENTIFIER, field + ": " + e.getMessage());
                }
            }
            putIfGiven(attributes, FIRST_NAME, profile.firstName());
            putIfGiven(attributes, LAST_NAME, profile.lastName());
            putIfGiven(attributes, SOURCE, profile.source());
        }
        if (identifiers.isEmpty()) {
            throw CapillaryFailure.of(CapillaryCode.INVALID_IDENTIFIER, "profiles: give at least one identifier");
        }
        Contacts.Registration registration = customers.register(caller.workspaceId(), identifiers, attributes);
        List<Message> warnings = registration.created()
                ? List.of()
                : List.of(new Message(
                        true, "Customer already exists; its id is returned and its identifiers merged", 200));
        return new CustomerCreated(registration.contact().id(), warnings, List.of());
    }

    @GetMapping("/capillary/v2/customers/lookup")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    CustomerResponse lookup(
            Caller caller,
            @RequestParam String identifierName,
            @RequestParam String identifierValue,
            @RequestParam(required = false) @Nullable String source,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format) {
        CapillaryFormat.requireJson(format);
        long workspaceId = caller.workspaceId();
        return response(customers.find(
                workspaceId, identifierName, identifierValue, CapillaryCode.CUSTOMER_NOT_FOUND_BY_LOOKUP));
    }

    @GetMapping("/capillary/v2/customers/{userId}")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    CustomerResponse get(
            Caller caller,
            @PathVariable long userId,
            @RequestParam(defaultValue = CapillaryFormat.JSON) String format) {
        CapillaryFormat.requireJson(format);
        return response(customers.get(caller.workspaceId(), userId, CapillaryCode.CUSTOMER_NOT_FOUND));
    }

    private static CustomerResponse response(Contact contact) {
        List<IdentifierValue> identifiers = new ArrayList<>();
        contact.identifiers().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(identifier -> identifiers.add(
                        switch (identifier.getKey()) {
                            case Identifier.PHONE ->
                                new IdentifierValue("mobile", CapillaryCustomers.mobile(identifier.getValue()));
                            default -> new IdentifierValue(identifier.getKey(), identifier.getValue());
                        }));
        Profile profile = new Profile(
                text(contact.attributes().get(FIRST_NAME)),
                text(contact.attributes().get(LAST_NAME)),
                identifiers,
                text(contact.attributes().get(SOURCE)));
        return new CustomerResponse(contact.id(), List.of(profile), Map.of(), List.of());
    }

    private static void putIfGiven(Map<String, Object> attributes, String name, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            attributes.putIfAbsent(name, value.strip());
        }
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }
}
