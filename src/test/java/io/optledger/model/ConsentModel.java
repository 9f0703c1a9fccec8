package io.optledger.model;

import io.optledger.model.Op.Act;
import io.optledger.model.Op.Ch;
import io.optledger.model.Op.Who;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The consent rules as docs/ledger.md and docs/consent-rules.md state them, for one person with one email and one
 * phone, written again from the documents (it shares no code with the service): states, consent time, the stale and
 * withdrawal-wins rules, topic defaults, mandatory topics, pauses that end, suppressions and the SMS keywords. Each
 * step answers what the service must answer, as a short observation string the driver also derives from the response.
 */
final class ConsentModel {

    static final String KEYWORD_SOURCE = "sms-keyword";

    enum Status {
        SUBSCRIBED,
        PENDING,
        UNSUBSCRIBED,
        SUSPENDED
    }

    /** A subscription: whose, on which channel (at that channel's one address), to which topic. */
    record Key(Who who, Ch channel, String topic) {}

    /** An eligibility question: an address (one per channel) and a topic. */
    record Asked(Ch channel, String topic) {}

    /** A subscription: its state and the consent time it carries (occurredAt, and since when it took effect). */
    record Sub(Status status, @Nullable Long until, boolean deleted, Time occurred, Time since, String source) {}

    static final class TopicDef {
        final String key;
        final boolean marketing;
        boolean defaultOptIn;
        boolean mandatory;
        final boolean smsDoubleOptIn;

        TopicDef(String key, boolean marketing, boolean defaultOptIn, boolean smsDoubleOptIn) {
            this.key = key;
            this.marketing = marketing;
            this.defaultOptIn = defaultOptIn;
            this.smsDoubleOptIn = smsDoubleOptIn;
        }
    }

    /** What a STOP moved out of a receiving state, for START to give back. */
    record Stopped(Key key, @Nullable Status from, @Nullable Long until) {}

    /** The topics every sequence runs against. */
    static Map<String, TopicDef> topics() {
        Map<String, TopicDef> topics = new TreeMap<>();
        topics.put("marketing", new TopicDef("marketing", true, false, true));
        topics.put("news", new TopicDef("news", true, true, false));
        topics.put("capillary.bulk", new TopicDef("capillary.bulk", true, false, false));
        topics.put("transactional", new TopicDef("transactional", false, true, false));
        return topics;
    }

    final Map<String, TopicDef> topics = topics();
    private Map<Key, Sub> subs = new HashMap<>();
    private final Map<Ch, String> suppressions = new HashMap<>();
    private final List<Stopped> stops = new ArrayList<>();

    Map<Key, Sub> subscriptions() {
        return Map.copyOf(subs);
    }

    // ---- the state machine

    /** One consent command, as {@code ConsentService.apply} runs it: the outcome, and the state updated. */
    String command(Key key, Act action, Time occurred, Time receipt, @Nullable Long until, String source) {
        Sub current = subs.get(key);
        TopicDef topic = topics.get(key.topic());
        if (current == null && (action == Act.DELETE || action == Act.KEEP)) {
            return "rejected no_subscription";
        }
        if (topic.mandatory && (action == Act.OPT_OUT || action == Act.SUSPEND || action == Act.DELETE)) {
            return "rejected mandatory_topic";
        }
        if (current != null && isStale(current, action, occurred)) {
            return "stale";
        }
        Status now = current == null ? null : current.status();
        Status next;
        Long nextUntil = null;
        boolean deleted = false;
        switch (action) {
            case OPT_IN -> next = Status.SUBSCRIBED;
            case REQUEST_OPT_IN ->
                next = now == Status.SUBSCRIBED || !(key.channel() == Ch.SMS && topic.smsDoubleOptIn)
                        ? Status.SUBSCRIBED
                        : Status.PENDING;
            case CONFIRM -> {
                if (now != Status.PENDING && now != Status.SUBSCRIBED) {
                    return "rejected not_pending";
                }
                next = Status.SUBSCRIBED;
            }
            case AWAIT_CONFIRMATION -> next = Status.PENDING;
            case OPT_OUT -> next = Status.UNSUBSCRIBED;
            case SUSPEND -> {
                boolean receiving =
                        now == null ? topic.defaultOptIn : now == Status.SUBSCRIBED || now == Status.SUSPENDED;
                if (!receiving) {
                    return "rejected not_subscribed";
                }
                next = Status.SUSPENDED;
                nextUntil = until;
            }
            case RESUME -> {
                if (now != Status.SUSPENDED && now != Status.SUBSCRIBED) {
                    return "rejected not_suspended";
                }
                next = Status.SUBSCRIBED;
            }
            case DELETE -> {
                next = current.status();
                nextUntil = current.until();
                deleted = true;
            }
            case KEEP -> {
                next = current.status();
                nextUntil = current.until();
            }
            default -> throw new IllegalStateException();
        }
        Time nextOccurred;
        Time nextSince;
        if (action.movesConsentTime()) {
            nextOccurred = occurred;
            nextSince = Time.min(occurred, receipt);
        } else if (current != null) {
            nextOccurred = current.occurred();
            nextSince = current.since();
        } else {
            nextOccurred = Time.NEVER_ASKED;
            nextSince = Time.NEVER_ASKED;
        }
        String outcome = current == null
                ? "created"
                : current.status() == next && Objects.equals(current.until(), nextUntil) && current.deleted() == deleted
                        ? "unchanged"
                        : "changed";
        subs.put(key, new Sub(next, nextUntil, deleted, nextOccurred, nextSince, source));
        return outcome;
    }

    /**
     * Stale: happened before the consent time it would replace. A withdrawal is measured against when that consent took
     * effect as received; anything else against its occurredAt. On a tie the opt-out wins both ways.
     */
    private static boolean isStale(Sub current, Act action, Time occurred) {
        int order = occurred.compareTo(action.isWithdrawal() ? current.since() : current.occurred());
        if (order != 0) {
            return order < 0;
        }
        return action != Act.OPT_OUT && current.status() == Status.UNSUBSCRIBED;
    }

    // ---- eligibility

    /**
     * True, false, or null where a pause ends inside the interval the question was answered in. Every contact holding
     * a subscription at the address counts: any one not receiving makes it ineligible.
     */
    @Nullable
    Boolean eligible(Asked asked, Time askedAt) {
        TopicDef topic = topics.get(asked.topic());
        if (suppressions.containsKey(asked.channel())) {
            return false;
        }
        if (topic.mandatory) {
            return true;
        }
        boolean held = false;
        Boolean eligible = true;
        for (Who who : Who.values()) {
            Sub sub = subs.get(new Key(who, asked.channel(), asked.topic()));
            if (sub == null) {
                continue;
            }
            held = true;
            Boolean active = active(sub, askedAt);
            if (Boolean.FALSE.equals(active)) {
                return false;
            }
            if (active == null) {
                eligible = null;
            }
        }
        return held ? eligible : (Boolean) topic.defaultOptIn;
    }

    private static @Nullable Boolean active(Sub sub, Time askedAt) {
        if (sub.deleted()) {
            return false;
        }
        return switch (sub.status()) {
            case SUBSCRIBED -> true;
            case PENDING, UNSUBSCRIBED -> false;
            case SUSPENDED -> {
                if (sub.until() == null || sub.until() > askedAt.hi()) {
                    yield false;
                }
                yield sub.until() < askedAt.lo() ? true : null;
            }
        };
    }

    // ---- entry points other than the native change

    String attentiveSubscribe(Ch channel, boolean singleOptIn, Time receipt) {
        Key key = new Key(Who.A, channel, "marketing");
        Sub current = subs.get(key);
        boolean confirmed =
                current != null && (current.status() == Status.SUBSCRIBED || current.status() == Status.SUSPENDED);
        boolean previously = current != null && !current.deleted() && (confirmed || current.status() == Status.PENDING);
        boolean awaitReply = channel == Ch.SMS && !singleOptIn && !confirmed;
        command(key, awaitReply ? Act.AWAIT_CONFIRMATION : Act.OPT_IN, receipt, receipt, null, "attentive");
        return "202 " + (previously ? "PREVIOUSLY_CREATED" : "NEWLY_CREATED");
    }

    /** The unsubscribe's targets, all or nothing: one rejection answers 400 and changes nothing. */
    String attentiveUnsubscribe(Op.AttentiveUnsubscribe op, Time receipt) {
        List<Key> targets = new ArrayList<>();
        List<Ch> given = new ArrayList<>();
        if (op.phone()) {
            given.add(Ch.SMS);
        }
        if (op.email()) {
            given.add(Ch.EMAIL);
        }
        if (op.listed()) {
            for (Ch channel : given) {
                targets.add(new Key(Who.A, channel, "marketing"));
                if (op.transactional()) {
                    targets.add(new Key(Who.A, channel, "transactional"));
                }
            }
        } else {
            for (Key held : subs.keySet()) {
                if (held.who() == Who.A && given.contains(held.channel()) && ATTENTIVE_TOPICS.contains(held.topic())) {
                    targets.add(held);
                }
            }
            for (TopicDef topic : topics.values()) {
                if (topic.key.equals("marketing") && topic.marketing && topic.defaultOptIn && !topic.mandatory) {
                    for (Ch channel : given) {
                        Key key = new Key(Who.A, channel, topic.key);
                        if (!targets.contains(key)) {
                            targets.add(key);
                        }
                    }
                }
            }
        }
        Map<Key, Sub> before = new HashMap<>(subs);
        TreeMap<String, String> statuses = new TreeMap<>();
        for (Key target : targets) {
            String outcome = command(target, Act.OPT_OUT, receipt, receipt, null, "attentive");
            if (outcome.startsWith("rejected")) {
                subs = before;
                return "400";
            }
            Sub was = before.get(target);
            statuses.put(
                    attentiveType(target.topic()) + "/" + (target.channel() == Ch.SMS ? "TEXT" : "EMAIL"),
                    was != null && was.status() == Status.UNSUBSCRIBED
                            ? "PREVIOUSLY_UNSUBSCRIBED"
                            : "NEWLY_UNSUBSCRIBED");
        }
        return "202 " + statuses;
    }

    /** The topics Attentive's subscription types name (checkout-abandoned is not in these sequences). */
    private static final List<String> ATTENTIVE_TOPICS = List.of("marketing", "transactional");

    /** A Capillary v1.1 BULK change: 1000 when applied (or stale: recorded, state kept), else all failed (1106). */
    String capillary(Ch channel, boolean subscribe, Time receipt) {
        String outcome = command(
                new Key(Who.A, channel, "capillary.bulk"),
                subscribe ? Act.OPT_IN : Act.OPT_OUT,
                receipt,
                receipt,
                null,
                "capillary");
        return outcome.startsWith("rejected") ? "500 1106" : "200 1000";
    }

    static String attentiveType(String topic) {
        return topic.equals("marketing") ? "MARKETING" : "TRANSACTIONAL";
    }

    String text(String body, Time receipt) {
        String word = body.toUpperCase(java.util.Locale.ROOT)
                .replaceAll("[^A-Z ]", "")
                .trim();
        return switch (word) {
            case "STOP", "STOP PLEASE", "UNSUBSCRIBE ME", "STOPALL", "STOP ALL" -> stop(word.contains("ALL"), receipt);
            case "START", "UNSTOP" -> resume(receipt);
            case "Y", "YES" -> confirm(receipt);
            case "HELP" -> "200 help 0";
            default -> "200 none 0";
        };
    }

    /** The contacts a text from the phone reaches: A (whose phone it is) and B if B holds a subscription there. */
    private List<Who> holders() {
        List<Who> holders = new ArrayList<>(List.of(Who.A));
        if (subs.keySet().stream().anyMatch(k -> k.who() == Who.B && k.channel() == Ch.SMS)) {
            holders.add(Who.B);
        }
        return holders;
    }

    private String stop(boolean all, Time receipt) {
        int changed = 0;
        for (Who who : holders()) {
            for (TopicDef topic : topics.values()) {
                if (!topic.marketing || topic.mandatory) {
                    continue;
                }
                Key key = new Key(who, Ch.SMS, topic.key);
                Sub was = subs.get(key);
                String outcome = command(key, Act.OPT_OUT, receipt, receipt, null, KEYWORD_SOURCE);
                if (!outcome.equals("created") && !outcome.equals("changed")) {
                    continue;
                }
                boolean receiving = was == null
                        ? topic.defaultOptIn
                        : !was.deleted() && (was.status() == Status.SUBSCRIBED || was.status() == Status.SUSPENDED);
                if (receiving) {
                    stops.add(new Stopped(key, was == null ? null : was.status(), was == null ? null : was.until()));
                }
                if (receiving || (was != null && was.status() == Status.PENDING)) {
                    changed++;
                }
            }
        }
        if (all && !suppressions.containsKey(Ch.SMS)) {
            suppressions.put(Ch.SMS, "KEYWORD");
        }
        return "200 opted_out " + changed;
    }

    private String resume(Time receipt) {
        if ("KEYWORD".equals(suppressions.get(Ch.SMS))) {
            suppressions.remove(Ch.SMS);
        }
        Map<Key, Sub> snapshot = new HashMap<>(subs);
        List<Object[]> commands = new ArrayList<>();
        for (Stopped stopped : stops) {
            Key key = stopped.key();
            Sub s = snapshot.get(key);
            if (s == null || s.deleted() || s.status() != Status.UNSUBSCRIBED || !KEYWORD_SOURCE.equals(s.source())) {
                continue;
            }
            commands.add(new Object[] {key, Act.OPT_IN, null});
            Long until = stopped.until();
            if (stopped.from() == Status.SUSPENDED) {
                if (until != null && until >= receipt.lo() && until <= receipt.hi()) {
                    throw new Time.Ambiguous(Time.exact(until), receipt);
                }
                // a pause that has not ended comes back with the opt-in
                if (until == null || until > receipt.hi()) {
                    commands.add(new Object[] {key, Act.SUSPEND, until});
                }
            }
        }
        stops.clear();
        int changed = 0;
        for (Object[] c : commands) {
            Key key = (Key) c[0];
            Sub was = subs.get(key);
            String outcome = command(key, (Act) c[1], receipt, receipt, (Long) c[2], KEYWORD_SOURCE);
            if (outcome.equals("changed") && was != null && was.status() == Status.UNSUBSCRIBED) {
                changed++;
            }
        }
        return "200 resumed " + changed;
    }

    private String confirm(Time receipt) {
        List<Key> pending = new ArrayList<>();
        subs.forEach((key, s) -> {
            if (key.channel() == Ch.SMS && s.status() == Status.PENDING && !s.deleted()) {
                pending.add(key);
            }
        });
        if (pending.isEmpty()) {
            return "200 none 0";
        }
        int changed = 0;
        for (Key key : pending) {
            if (command(key, Act.CONFIRM, receipt, receipt, null, KEYWORD_SOURCE)
                    .equals("changed")) {
                changed++;
            }
        }
        return "200 confirmed " + changed;
    }

    String suppress(Ch channel, String reason) {
        suppressions.put(channel, reason);
        return "201";
    }

    String lift(Ch channel) {
        return suppressions.remove(channel) == null ? "404" : "204";
    }

    String patchTopic(String key, String field, boolean value) {
        TopicDef topic = topics.get(key);
        if (field.equals("defaultOptIn")) {
            topic.defaultOptIn = value;
            return "200";
        }
        if (value && topic.marketing) {
            return "400";
        }
        if (value && !topic.mandatory) {
            boolean optedOut = subs.entrySet().stream()
                    .anyMatch(
                            e -> e.getKey().topic().equals(key) && e.getValue().status() == Status.UNSUBSCRIBED);
            if (optedOut) {
                return "409";
            }
        }
        topic.mandatory = value;
        return "200";
    }

    /** The state a ledger replay must arrive at: status, pause end and deleted flag per subscription. */
    Map<Key, String> finalStates(Who who) {
        Map<Key, String> states = new LinkedHashMap<>();
        subs.forEach((key, s) -> {
            if (key.who() == who) {
                states.put(key, s.status() + " " + s.until() + " " + s.deleted());
            }
        });
        return states;
    }
}
