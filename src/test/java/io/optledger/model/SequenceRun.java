package io.optledger.model;

import io.optledger.model.ConsentModel.Asked;
import io.optledger.model.ConsentModel.Key;
import io.optledger.model.Op.Ch;
import io.optledger.model.Op.Who;
import io.optledger.support.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One sequence run against the service and the model side by side: after every step the step's answer and then the
 * eligibility of every address × topic must equal the model's; at the end the ledger verifies and replays to the
 * model's state, which is also the state the API lists.
 */
final class SequenceRun {

    /** How a run ended: passed, failed at a step (with why), or stopped where the model could not order two times. */
    record Result(Kind kind, int step, String message) {
        enum Kind {
            PASSED,
            FAILED,
            INCONCLUSIVE
        }

        boolean failed() {
            return kind == Kind.FAILED;
        }
    }

    private static final List<Asked> KEYS = keys();

    private SequenceRun() {}

    static Result run(ApiClient api, List<Op> ops) {
        ServiceDriver driver = new ServiceDriver(api);
        ConsentModel model = new ConsentModel();
        // the virtual clock starts five minutes back and moves on only by Advance steps
        long virtualClock = System.currentTimeMillis() - 300_000;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            try {
                String observed;
                String expected;
                switch (op) {
                    case Op.Advance advance -> {
                        virtualClock += advance.millis();
                        continue;
                    }
                    case Op.Wait w -> {
                        ServiceDriver.sleep(Op.Wait.MILLIS);
                        observed = expected = "waited";
                    }
                    case Op.Change change -> {
                        ServiceDriver.ChangeSent sent = driver.change(change, virtualClock);
                        observed = sent.observed();
                        expected = expectChange(model, change, sent, driver.receipt());
                    }
                    case Op.AttentiveSubscribe subscribe -> {
                        observed = driver.attentiveSubscribe(subscribe);
                        expected = model.attentiveSubscribe(
                                subscribe.channel(), subscribe.singleOptIn(), driver.receipt());
                    }
                    case Op.AttentiveUnsubscribe unsubscribe -> {
                        observed = driver.attentiveUnsubscribe(unsubscribe);
                        expected = model.attentiveUnsubscribe(unsubscribe, driver.receipt());
                    }
                    case Op.Capillary capillary -> {
                        observed = driver.capillary(capillary);
                        expected = model.capillary(capillary.channel(), capillary.subscribe(), driver.receipt());
                    }
                    case Op.Text text -> {
                        observed = driver.text(text);
                        expected = model.text(text.body(), driver.receipt());
                    }
                    case Op.Suppress suppress -> {
                        observed = driver.suppress(suppress);
                        expected = model.suppress(suppress.channel(), suppress.reason());
                    }
                    case Op.Lift lift -> {
                        observed = driver.lift(lift);
                        expected = model.lift(lift.channel());
                    }
                    case Op.PatchTopic patch -> {
                        observed = driver.patchTopic(patch);
                        expected = model.patchTopic(patch.topic(), patch.field(), patch.value());
                    }
                }
                if (!observed.equals(expected)) {
                    return failed(i, op, "answered '" + observed + "', the model says '" + expected + "'");
                }
                Map<Asked, Boolean> eligible = driver.eligibility(KEYS);
                for (Asked key : KEYS) {
                    Boolean want = model.eligible(key, driver.receipt());
                    if (want != null && !want.equals(eligible.get(key))) {
                        return failed(
                                i,
                                op,
                                "eligibility of " + key + " is " + eligible.get(key) + ", the model says " + want
                                        + " (model state "
                                        + model.subscriptions().get(key) + ")");
                    }
                }
            } catch (Time.Ambiguous e) {
                return new Result(Result.Kind.INCONCLUSIVE, i, e.getMessage());
            }
        }
        return finish(driver, model, ops.size());
    }

    private static String expectChange(
            ConsentModel model, Op.Change change, ServiceDriver.ChangeSent sent, Time receipt) {
        if (change.when() == Op.When.TOO_FAR_AHEAD) {
            return "400";
        }
        Time occurred = sent.occurred() == null ? receipt : sent.occurred();
        Key key = new Key(change.who(), change.channel(), change.topic());
        return "200 " + model.command(key, change.action(), occurred, receipt, sent.until(), "api");
    }

    private static Result finish(ServiceDriver driver, ConsentModel model, int steps) {
        for (Who who : Who.values()) {
            var verification = driver.verify(who);
            if (!verification.get("valid").asBoolean()) {
                return new Result(Result.Kind.FAILED, steps, who + "'s ledger does not verify: " + verification);
            }
            Map<Key, String> want = model.finalStates(who);
            Map<Key, String> replayed = driver.replayedStates(who);
            if (!replayed.equals(want)) {
                return new Result(
                        Result.Kind.FAILED,
                        steps,
                        who + "'s ledger replays to " + replayed + ", the model holds " + want);
            }
            Map<Key, String> listed = driver.currentStates(who);
            if (!listed.equals(want)) {
                return new Result(
                        Result.Kind.FAILED,
                        steps,
                        "the API lists " + listed + " for " + who + ", the model holds " + want);
            }
        }
        var workspaceLedger = driver.verifyWorkspaceLedger();
        if (!workspaceLedger.get("valid").asBoolean()) {
            return new Result(Result.Kind.FAILED, steps, "the workspace ledger does not verify: " + workspaceLedger);
        }
        return new Result(Result.Kind.PASSED, steps, "");
    }

    private static Result failed(int step, Op op, String why) {
        return new Result(Result.Kind.FAILED, step, "step " + step + " (" + op.line() + "): " + why);
    }

    private static List<Asked> keys() {
        List<Asked> keys = new ArrayList<>();
        for (Ch channel : Ch.values()) {
            for (String topic : ConsentModel.topics().keySet()) {
                keys.add(new Asked(channel, topic));
            }
        }
        return List.copyOf(keys);
    }

    static @Nullable String describe(List<Op> ops) {
        StringBuilder text = new StringBuilder();
        ops.forEach(op -> text.append(op.line()).append('\n'));
        return text.toString();
    }
}
