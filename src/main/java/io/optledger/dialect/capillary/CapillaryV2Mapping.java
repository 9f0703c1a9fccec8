package io.optledger.dialect.capillary;

import io.optledger.consent.ChangeOutcome;
import io.optledger.consent.Status;
import io.optledger.consent.Subscription;
import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.dialect.capillary.CapillarySubscriptions.Change;
import io.optledger.dialect.capillary.CapillarySubscriptions.Current;
import io.optledger.dialect.capillary.CapillaryV2Payloads.ChangeLogEntry;
import io.optledger.dialect.capillary.CapillaryV2Payloads.Item;
import io.optledger.dialect.capillary.CapillaryV2Payloads.Message;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** v2 subscription items into Capillary changes, checked one by one, and state and history back into v2 shapes. */
final class CapillaryV2Mapping {

    static final String OPTIN = "OPTIN";
    static final String OPTOUT = "OPTOUT";

    /** Capillary's documented {@code sourceName} values. */
    static final Set<String> SOURCE_NAMES = Set.of(
            "INSTORE",
            "FACEBOOK",
            "WEB_ENGAGE",
            "WECHAT",
            "MARTJACK",
            "TMALL",
            "TAOBAO",
            "JD",
            "ECOMMERCE",
            "WEBSITE",
            "LINE",
            "MOBILE_APP");

    private static final int MAX_ACCOUNT_ID = 100;

    private CapillaryV2Mapping() {}

    /** An item's checks: the change it asks for with its normalised echo, or the warning that refuses it. */
    sealed interface Check {
        record Passed(Change change, Item echo) implements Check {}

        record Failed(Message warning) implements Check {}
    }

    /** Checks an item for a customer already found; {@code accountId} is the request's, for items that give none. */
    static Check check(Item item, long contactId, @Nullable String accountId) {
        CapillaryChannel channel = CapillaryChannel.ofV2(item.channel()).orElse(null);
        if (channel == null) {
            return failed(
                    item,
                    CapillaryCode.INVALID_CHANNEL,
                    "'" + item.channel() + "' (expected MOBILE, EMAIL, wechat, whatsapp, ios, android or line)");
        }
        Priority priority = Priority.of(item.priority()).orElse(null);
        if (priority == null) {
            return failed(item, CapillaryCode.INVALID_PRIORITY, "'" + item.priority() + "' (expected TRANS or BULK)");
        }
        String type = item.type() == null ? "" : item.type().strip().toUpperCase(Locale.ROOT);
        if (!type.equals(OPTIN) && !type.equals(OPTOUT)) {
            return failed(item, CapillaryCode.INVALID_STATUS, "type '" + item.type() + "' (expected OPTIN or OPTOUT)");
        }
        if (item.orgUnitId() == null) {
            return failed(item, CapillaryCode.UPDATE_FAILED, "orgUnitId is required");
        }
        String account = item.accountId() != null ? item.accountId().strip() : accountId;
        if (account == null || account.length() > MAX_ACCOUNT_ID) {
            return failed(item, CapillaryCode.UPDATE_FAILED, "accountId is required, at most 100 characters");
        }
        String sourceName =
                item.sourceName() == null ? null : item.sourceName().strip().toUpperCase(Locale.ROOT);
        if (sourceName != null && !SOURCE_NAMES.contains(sourceName)) {
            return failed(
                    item,
                    CapillaryCode.UPDATE_FAILED,
                    "unknown sourceName '" + item.sourceName() + "' (expected one of " + SOURCE_NAMES + ")");
        }
        Change change = new Change(
                contactId,
                channel,
                null,
                new CapillaryTopics.Ref(item.orgUnitId(), priority),
                type.equals(OPTIN),
                account,
                sourceName);
        return new Check.Passed(
                change, new Item(channel.v2Name(), account, priority.name(), type, item.orgUnitId(), sourceName));
    }

    /** The warning for an applied item the consent core refused, or null when it took effect. */
    static @Nullable Message warning(Item echo, ChangeOutcome outcome) {
        return switch (outcome) {
            case ChangeOutcome.Created created -> null;
            case ChangeOutcome.Changed changed -> null;
            case ChangeOutcome.Unchanged unchanged -> null;
            case ChangeOutcome.Stale stale -> null;
            case ChangeOutcome.Rejected rejected ->
                message(
                        echo.channel(),
                        echo.priority(),
                        CapillaryCode.UPDATE_FAILED.code(),
                        rejected.message() + " (" + rejected.reason().code() + ")");
        };
    }

    /** A current subscription as v2 lists it, with the account and source name its last change recorded. */
    static Item item(Current current, @Nullable ConsentEvent lastChange, Instant now) {
        Subscription subscription = current.subscription();
        return new Item(
                current.channel().v2Name(),
                CapillarySubscriptions.accountOf(current.channel(), subscription.address(), lastChange),
                current.topic().priority().name(),
                subscription.isActiveAt(now) ? OPTIN : OPTOUT,
                current.topic().orgUnitId(),
                lastChange == null ? null : lastChange.details().get(CapillarySubscriptions.SOURCE_NAME));
    }

    /** A ledger event as a change-log entry; the event is of a Capillary topic and channel. */
    static ChangeLogEntry logEntry(ConsentEvent event) {
        CapillaryChannel channel =
                CapillaryChannel.of(event.channel(), event.address()).orElseThrow();
        CapillaryTopics.Ref topic = CapillaryTopics.parse(event.topic()).orElseThrow();
        String sourceName = event.details().get(CapillarySubscriptions.SOURCE_NAME);
        return new ChangeLogEntry(
                topic.orgUnitId(),
                sourceName != null ? sourceName : event.source().toUpperCase(Locale.ROOT),
                CapillarySubscriptions.accountOf(channel, event.address(), event),
                -1,
                channel.logId(),
                channel.logType(),
                -1,
                topic.priority().name(),
                event.to() == Status.SUBSCRIBED,
                -1,
                event.occurredAt().atOffset(ZoneOffset.UTC).toLocalDate().toString(),
                event.reason() == null ? "" : event.reason(),
                event.apiKeyId(),
                event.occurredAt());
    }

    private static Check.Failed failed(Item item, CapillaryCode code, String detail) {
        return new Check.Failed(message(
                item.channel(),
                item.priority(),
                code.code(),
                code == CapillaryCode.UPDATE_FAILED ? detail : code.message(detail)));
    }

    private static Message message(@Nullable String channel, @Nullable String priority, int code, String detail) {
        return new Message(
                false,
                "Failed to update subscription for " + channel + " channel and priority " + priority + ": " + detail,
                code);
    }
}
