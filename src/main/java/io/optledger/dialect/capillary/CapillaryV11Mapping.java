package io.optledger.dialect.capillary;

import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.RejectReason;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.contact.Identifier;
import io.optledger.dialect.capillary.CapillarySubscriptions.Change;
import io.optledger.dialect.capillary.CapillaryV11Payloads.Item;
import io.optledger.dialect.capillary.CapillaryV11Payloads.ItemResult;
import io.optledger.dialect.capillary.CapillaryV11Payloads.ItemStatus;
import io.optledger.platform.InvalidInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** v1.1 items into Capillary changes, checked one by one, and outcomes back into v1.1 item results. */
final class CapillaryV11Mapping {

    static final String SCOPE_ALL = "ALL";

    private CapillaryV11Mapping() {}

    /** An item that passed its checks, with the identifiers that name its customer (or the id it names directly). */
    record Checked(
            CapillaryChannel channel,
            Priority priority,
            boolean subscribe,
            List<Identifier> identifiers,
            @Nullable Long id) {}

    /** An item's checks: what it asks for, or the result that refuses it. */
    sealed interface Check {
        record Passed(Checked item) implements Check {}

        record Failed(ItemResult result) implements Check {}
    }

    static Check check(Item item, CapillaryCustomers customers, long workspaceId) {
        CapillaryChannel channel = CapillaryChannel.ofV11(item.channel()).orElse(null);
        if (channel == null) {
            return failed(item, CapillaryCode.INVALID_CHANNEL, "'" + item.channel() + "' (expected sms or email)");
        }
        Priority priority = Priority.of(item.priority()).orElse(null);
        if (priority == null) {
            return failed(item, CapillaryCode.INVALID_PRIORITY, "'" + item.priority() + "' (expected TRANS or BULK)");
        }
        if (item.scope() != null && !item.scope().strip().equalsIgnoreCase(SCOPE_ALL)) {
            return failed(item, CapillaryCode.INVALID_SCOPE, "'" + item.scope() + "' (expected all)");
        }
        Boolean subscribe = subscribed(item.isSubscribed());
        if (subscribe == null) {
            return failed(item, CapillaryCode.INVALID_STATUS, "'" + item.isSubscribed() + "' (expected 1 or 0)");
        }
        List<Identifier> identifiers = new ArrayList<>(3);
        Long id = null;
        try {
            if (item.id() != null) {
                id = CapillaryCustomers.parseId(item.id());
            }
            if (item.mobile() != null) {
                identifiers.add(customers.identifier(workspaceId, "mobile", item.mobile()));
            }
            if (item.email() != null) {
                identifiers.add(customers.identifier(workspaceId, "email", item.email()));
            }
            if (item.externalId() != null) {
                identifiers.add(customers.identifier(workspaceId, "external_id", item.externalId()));
            }
        } catch (InvalidInput e) {
            return failed(item, CapillaryCode.INVALID_IDENTIFIER, e.getMessage());
        }
        if (id == null && identifiers.isEmpty()) {
            return failed(item, CapillaryCode.INVALID_IDENTIFIER, "give one of mobile, email, external_id or id");
        }
        return new Check.Passed(new Checked(channel, priority, subscribe, identifiers, id));
    }

    /**
     * The customer an item names: its id, or the one customer its identifiers find. Null when none is found; a failed
     * result's code when they find two.
     */
    static Resolution resolve(Checked item, Map<Identifier, Long> found) {
        Set<Long> named = new HashSet<>();
        if (item.id() != null) {
            named.add(item.id());
        }
        for (Identifier identifier : item.identifiers()) {
            Long id = found.get(identifier);
            if (id != null) {
                named.add(id);
            }
        }
        if (named.size() > 1) {
            return new Resolution(null, "the identifiers name different customers " + named);
        }
        return new Resolution(named.isEmpty() ? null : named.iterator().next(), null);
    }

    record Resolution(@Nullable Long contactId, @Nullable String ambiguity) {}

    static Change change(Checked item, long contactId) {
        return new Change(
                contactId,
                item.channel(),
                namedAddress(item),
                new CapillaryTopics.Ref(CapillaryTopics.ORG, item.priority()),
                item.subscribe(),
                "",
                null);
    }

    /**
     * The address the item itself names for its channel (its mobile for SMS, its email for EMAIL), so that consent is
     * recorded where the item says; null when it names none there, and the customer's own is used.
     */
    static @Nullable String namedAddress(Checked item) {
        String kind = item.channel().channel().defaultIdentifier();
        return item.identifiers().stream()
                .filter(identifier -> identifier.name().equals(kind))
                .map(Identifier::value)
                .findFirst()
                .orElse(null);
    }

    /** The result of an applied item: the customer as it is now and the subscription's resulting state. */
    static ItemResult result(Checked checked, long contactId, Map<String, String> identifiers, ChangeOutcome outcome) {
        return switch (outcome) {
            case ChangeOutcome.Created created ->
                applied(checked, contactId, identifiers, created.subscription(), "Subscription updated");
            case ChangeOutcome.Changed changed ->
                applied(checked, contactId, identifiers, changed.subscription(), "Subscription updated");
            case ChangeOutcome.Unchanged unchanged ->
                applied(
                        checked,
                        contactId,
                        identifiers,
                        unchanged.subscription(),
                        "Subscription already in this state");
            case ChangeOutcome.Stale stale ->
                applied(checked, contactId, identifiers, stale.current(), "Subscription kept: a newer change stands");
            case ChangeOutcome.Rejected rejected -> {
                CapillaryCode code = codeOf(rejected.reason());
                yield new ItemResult(
                        rejected.contactId() == null ? null : Long.toString(contactId),
                        CapillaryCustomers.mobile(identifiers.get(Identifier.PHONE)),
                        identifiers.get(Identifier.EMAIL),
                        checked.channel().v11Name(),
                        checked.priority().name(),
                        SCOPE_ALL,
                        checked.subscribe() ? 1 : 0,
                        ItemStatus.of(code, code.message(rejected.message())));
            }
        };
    }

    static CapillaryCode codeOf(RejectReason reason) {
        return switch (reason) {
            case CONTACT_NOT_FOUND -> CapillaryCode.CUSTOMER_NOT_FOUND;
            case NO_ADDRESS -> CapillaryCode.INVALID_IDENTIFIER;
            case UNKNOWN_TOPIC, MANDATORY_TOPIC, NOT_PENDING, NOT_SUBSCRIBED, NOT_SUSPENDED, NO_SUBSCRIPTION ->
                CapillaryCode.INVALID_STATUS;
        };
    }

    /** A refused item, echoing what it named. */
    static Check.Failed failed(Item item, CapillaryCode code, String detail) {
        return new Check.Failed(echo(item, null, ItemStatus.of(code, code.message(detail))));
    }

    static ItemResult echo(Item item, @Nullable Long contactId, ItemStatus status) {
        Boolean subscribe = subscribed(item.isSubscribed());
        return new ItemResult(
                contactId == null ? null : Long.toString(contactId),
                item.mobile(),
                item.email(),
                item.channel() == null
                        ? null
                        : CapillaryChannel.ofV11(item.channel())
                                .map(CapillaryChannel::v11Name)
                                .orElse(item.channel()),
                item.priority() == null
                        ? null
                        : Priority.of(item.priority()).map(Priority::name).orElse(item.priority()),
                item.scope() == null ? SCOPE_ALL : item.scope().toUpperCase(Locale.ROOT),
                subscribe == null ? null : subscribe ? 1 : 0,
                status);
    }

    /** A subscription as a v1.1 item, as found. */
    static ItemResult found(
            long contactId, Map<String, String> identifiers, CapillaryChannel channel, Priority priority, boolean on) {
        return new ItemResult(
                Long.toString(contactId),
                CapillaryCustomers.mobile(identifiers.get(Identifier.PHONE)),
                identifiers.get(Identifier.EMAIL),
                channel.v11Name(),
                priority.name(),
                SCOPE_ALL,
                on ? 1 : 0,
                ItemStatus.of(CapillaryCode.SUCCESS, "Subscription found"));
    }

    private static ItemResult applied(
            Checked checked,
            long contactId,
            Map<String, String> identifiers,
            Subscription subscription,
            String message) {
        return new ItemResult(
                Long.toString(contactId),
                CapillaryCustomers.mobile(identifiers.get(Identifier.PHONE)),
                identifiers.get(Identifier.EMAIL),
                checked.channel().v11Name(),
                checked.priority().name(),
                SCOPE_ALL,
                subscription.status() == Status.SUBSCRIBED ? 1 : 0,
                ItemStatus.of(CapillaryCode.SUCCESS, message));
    }

    private static @Nullable Boolean subscribed(@Nullable String value) {
        if (value == null) {
            return null;
        }
        return switch (value.strip()) {
            case "1" -> true;
            case "0" -> false;
            default -> null;
        };
    }
}
