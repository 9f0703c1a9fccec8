package io.optledger.model;

import java.util.Arrays;
import java.util.List;

/**
 * One step of a generated sequence, through one entry point of the service. Each prints as one line and parses back,
 * so that a shrunk failing sequence can be kept as a regression case (src/test/resources/model/regressions.txt).
 */
sealed interface Op {

    /** The two addresses of the person under test. */
    enum Ch {
        EMAIL,
        SMS
    }

    /**
     * Whose subscription a native change names: A, the person (her email and phone), or B, another contact holding
     * subscriptions at A's addresses (a shared family phone, an old address): every holder counts for eligibility and
     * a STOP reaches every holder.
     */
    enum Who {
        A,
        B
    }

    enum Act {
        OPT_IN,
        REQUEST_OPT_IN,
        CONFIRM,
        AWAIT_CONFIRMATION,
        OPT_OUT,
        SUSPEND,
        RESUME,
        DELETE,
        KEEP;

        boolean movesConsentTime() {
            return this == OPT_IN
                    || this == REQUEST_OPT_IN
                    || this == CONFIRM
                    || this == AWAIT_CONFIRMATION
                    || this == OPT_OUT;
        }

        boolean isWithdrawal() {
            return this == OPT_OUT || this == SUSPEND || this == DELETE;
        }
    }

    /**
     * When a native change says it happened: at the virtual clock, 30 s before it, not at all (the receipt), two
     * minutes ahead of the service's clock (within the allowed skew) or ten minutes ahead (refused).
     */
    enum When {
        VIRTUAL,
        BACKDATED,
        RECEIPT,
        AHEAD,
        TOO_FAR_AHEAD
    }

    /** A pause's end: none (indefinite), 2.5 s after sending (a {@link Wait} outlasts it) or an hour. */
    enum Until {
        NONE,
        SHORT,
        HOUR
    }

    String line();

    /** {@code POST /v1/subscriptions/changes} with one item for the contact. */
    record Change(Who who, Ch channel, String topic, Act action, When when, Until until) implements Op {
        public String line() {
            return "change " + who + " " + channel + " " + topic + " " + action + " " + when + " " + until;
        }
    }

    /** {@code POST /attentive/v1/subscriptions}: MARKETING through the channel's sign-up unit. */
    record AttentiveSubscribe(Ch channel, boolean singleOptIn) implements Op {
        public String line() {
            return "attentive-subscribe " + channel + " " + singleOptIn;
        }
    }

    /**
     * {@code POST /attentive/v1/subscriptions/unsubscribe} naming the phone, the email or both, with no
     * {@code subscriptions} (everything held) or listing MARKETING and, if {@code transactional}, TRANSACTIONAL.
     */
    record AttentiveUnsubscribe(boolean phone, boolean email, boolean listed, boolean transactional) implements Op {
        public String line() {
            return "attentive-unsubscribe " + phone + " " + email + " " + listed + " " + transactional;
        }
    }

    /** {@code POST /capillary/v1.1/customer/subscriptions}: org-level BULK on the channel, by the customer's address. */
    record Capillary(Ch channel, boolean subscribe) implements Op {
        public String line() {
            return "capillary " + channel + " " + subscribe;
        }
    }

    /** {@code POST /v1/inbound/sms} from the person's phone. */
    record Text(String body) implements Op {
        public String line() {
            return "text " + body;
        }
    }

    /** {@code POST /v1/suppressions}. */
    record Suppress(Ch channel, String reason) implements Op {
        public String line() {
            return "suppress " + channel + " " + reason;
        }
    }

    /** {@code DELETE /v1/suppressions}. */
    record Lift(Ch channel) implements Op {
        public String line() {
            return "lift " + channel;
        }
    }

    /** {@code PATCH /v1/topics/{key}} setting {@code mandatory} or {@code defaultOptIn}. */
    record PatchTopic(String topic, String field, boolean value) implements Op {
        public String line() {
            return "patch-topic " + topic + " " + field + " " + value;
        }
    }

    /** Moves the virtual clock on (no request). */
    record Advance(long millis) implements Op {
        public String line() {
            return "advance " + millis;
        }
    }

    /** Sleeps past every short pause. */
    record Wait() implements Op {
        static final long MILLIS = 2_700;

        public String line() {
            return "wait";
        }
    }

    static Op parse(String line) {
        List<String> w = Arrays.asList(line.trim().split(" "));
        return switch (w.getFirst()) {
            case "change" ->
                new Change(
                        Who.valueOf(w.get(1)),
                        Ch.valueOf(w.get(2)),
                        w.get(3),
                        Act.valueOf(w.get(4)),
                        When.valueOf(w.get(5)),
                        Until.valueOf(w.get(6)));
            case "attentive-subscribe" -> new AttentiveSubscribe(Ch.valueOf(w.get(1)), Boolean.parseBoolean(w.get(2)));
            case "attentive-unsubscribe" ->
                new AttentiveUnsubscribe(
                        Boolean.parseBoolean(w.get(1)),
                        Boolean.parseBoolean(w.get(2)),
                        Boolean.parseBoolean(w.get(3)),
                        Boolean.parseBoolean(w.get(4)));
            case "capillary" -> new Capillary(Ch.valueOf(w.get(1)), Boolean.parseBoolean(w.get(2)));
            case "text" -> new Text(line.trim().substring("text ".length()));
            case "suppress" -> new Suppress(Ch.valueOf(w.get(1)), w.get(2));
            case "lift" -> new Lift(Ch.valueOf(w.get(1)));
            case "patch-topic" -> new PatchTopic(w.get(1), w.get(2), Boolean.parseBoolean(w.get(3)));
            case "advance" -> new Advance(Long.parseLong(w.get(1)));
            case "wait" -> new Wait();
            default -> throw new IllegalArgumentException("not a step: " + line);
        };
    }
}
