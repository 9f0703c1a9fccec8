package io.optledger.model;

import io.optledger.model.Op.Act;
import io.optledger.model.Op.Ch;
import io.optledger.model.Op.Until;
import io.optledger.model.Op.When;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random step sequences across every entry point, weighted towards the native change (the richest) and with enough
 * keywords, sign-ups, suppressions and topic changes to meet each other. Seeded, so a sequence is reproducible.
 */
final class OpGenerator {

    private static final String[] TOPICS = {"marketing", "news", "transactional", "capillary.bulk"};
    private static final String[] TEXTS = {
        "STOP", "Stop.", "stop please", "Unsubscribe me", "STOPALL", "START", "UNSTOP", "Y", "yes", "HELP", "hello"
    };
    private static final String[] REASONS = {"MANUAL", "LEGAL_HOLD", "BOUNCE", "COMPLAINT"};

    private final Random random;

    OpGenerator(long seed) {
        this.random = new Random(seed);
    }

    List<Op> sequence(int length) {
        List<Op> ops = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            ops.add(next());
        }
        return ops;
    }

    private Op next() {
        int roll = random.nextInt(100);
        if (roll < 42) {
            return change();
        }
        if (roll < 46) {
            return new Op.Capillary(channel(), random.nextBoolean());
        }
        if (roll < 56) {
            return new Op.Advance(pick(new Long[] {1_000L, 30_000L, 120_000L}));
        }
        if (roll < 64) {
            return new Op.AttentiveSubscribe(channel(), random.nextBoolean());
        }
        if (roll < 69) {
            boolean phone = random.nextInt(3) > 0;
            boolean email = !phone || random.nextBoolean();
            return new Op.AttentiveUnsubscribe(phone, email, random.nextBoolean(), random.nextInt(4) == 0);
        }
        if (roll < 84) {
            return new Op.Text(pick(TEXTS));
        }
        if (roll < 88) {
            return new Op.Suppress(channel(), pick(REASONS));
        }
        if (roll < 92) {
            return new Op.Lift(channel());
        }
        if (roll < 98) {
            return switch (random.nextInt(5)) {
                case 0, 1 -> new Op.PatchTopic("transactional", "mandatory", random.nextBoolean());
                case 2 -> new Op.PatchTopic("marketing", "mandatory", true);
                default ->
                    new Op.PatchTopic(
                            random.nextBoolean() ? "news" : "marketing", "defaultOptIn", random.nextBoolean());
            };
        }
        return new Op.Wait();
    }

    private Op.Change change() {
        Act action = pickWeighted(Act.values(), new int[] {15, 10, 8, 5, 15, 12, 8, 5, 5});
        When when = pickWeighted(When.values(), new int[] {35, 15, 35, 10, 5});
        Until until = action == Act.SUSPEND ? pickWeighted(Until.values(), new int[] {30, 40, 30}) : Until.NONE;
        Op.Who who = random.nextInt(4) == 0 ? Op.Who.B : Op.Who.A;
        return new Op.Change(who, channel(), pick(TOPICS), action, when, until);
    }

    private Ch channel() {
        return random.nextBoolean() ? Ch.EMAIL : Ch.SMS;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pickWeighted(T[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int roll = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return values[i];
            }
        }
        throw new IllegalStateException();
    }
}
