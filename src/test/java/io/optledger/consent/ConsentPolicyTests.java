package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.consent.ConsentPolicy.Decision;
import io.optledger.contact.Channel;
import io.optledger.topic.Topic;
import io.optledger.topic.TopicKind;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ConsentPolicyTests {

    private static final Instant T = Instant.parse("2026-05-05T10:00:00Z");
    private static final Topic MARKETING =
            new Topic("marketing", "Marketing", null, TopicKind.MARKETING, false, false, Set.of(Channel.EMAIL), T, T);
    private static final Topic TRANSACTIONAL =
            new Topic("transactional", "Transactional", null, TopicKind.TRANSACTIONAL, true, false, Set.of(), T, T);
    private static final Topic RESETS =
            new Topic("resets", "Password resets", null, TopicKind.TRANSACTIONAL, true, true, Set.of(), T, T);

    @Test
    void anExpiryEndsOnlyAPendingOptIn() {
        Instant lapse = T.plusSeconds(7 * 86_400);
        assertThat(decide(at(Status.PENDING, T), Action.EXPIRE, MARKETING, lapse))
                .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null));
        assertThat(decide(null, Action.EXPIRE, MARKETING, lapse)).isInstanceOf(Decision.Reject.class);
        for (Status status : new Status[] {Status.SUBSCRIBED, Status.UNSUBSCRIBED, Status.SUSPENDED}) {
            assertThat(decide(at(status, T), Action.EXPIRE, MARKETING, lapse))
                    .as(status.name())
                    .isEqualTo(new Decision.Reject(RejectReason.NOT_PENDING, "there is no pending opt-in to expire"));
        }
        // even on a mandatory topic: a lapse is a fact, not the person leaving
        assertThat(decide(at(Status.PENDING, T), Action.EXPIRE, RESETS, lapse))
                .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null));
    }

    @Test
    void anExpiryDatedBeforeARenewedRequestIsStaleAndKeepsTheConsentTime() {
        // requested at T, lapsed at T + 7 days; requested again a minute after that, before the expiry is applied
        Instant lapse = T.plusSeconds(7 * 86_400);
        assertThat(decide(at(Status.PENDING, lapse.plusSeconds(60)), Action.EXPIRE, MARKETING, lapse))
                .isInstanceOf(Decision.Stale.class);
        ConsentPolicy.ConsentTime requested = new ConsentPolicy.ConsentTime(T, T);
        assertThat(ConsentPolicy.consentTime(requested, Action.EXPIRE, lapse, lapse))
                .isEqualTo(requested);
        assertThat(Action.EXPIRE.isWithdrawal()).isFalse();
    }

    @Test
    void keepsNewerOptOutWhenOlderOptInArrives() {
        assertThat(decide(at(Status.UNSUBSCRIBED, T), Action.OPT_IN, MARKETING, T.minusSeconds(1)))
                .isInstanceOf(Decision.Stale.class);
    }

    @Test
    void opsOutWinTiesBothWays() {
        assertThat(decide(at(Status.SUBSCRIBED, T), Action.OPT_OUT, MARKETING, T))
                .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null));
        assertThat(decide(at(Status.UNSUBSCRIBED, T), Action.OPT_IN, MARKETING, T))
                .isInstanceOf(Decision.Stale.class);
        assertThat(decide(at(Status.SUBSCRIBED, T), Action.OPT_IN, MARKETING, T))
                .isEqualTo(new Decision.Apply(Status.SUBSCRIBED, null));
    }

    @Test
    void aWithdrawalReceivedAfterAStateDatedAheadOfTheClockApplies() {
        // an opt-in received at T that claims T + 2 min: a withdrawal received a second later is not older than it
        Subscription skewed = received(Status.SUBSCRIBED, T.plusSeconds(120), T);
        Instant withdrawn = T.plusSeconds(1);
        assertThat(decide(skewed, Action.OPT_OUT, MARKETING, withdrawn))
                .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null));
        assertThat(decide(skewed, Action.SUSPEND, MARKETING, withdrawn))
                .isEqualTo(new Decision.Apply(Status.SUSPENDED, null));
        assertThat(decide(skewed, Action.DELETE, MARKETING, withdrawn))
                .isEqualTo(new Decision.Apply(Status.SUBSCRIBED, null, true));
        // received at the same instant as the skewed opt-in: the tie goes to the withdrawal
        assertThat(decide(skewed, Action.OPT_OUT, MARKETING, T))
                .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null));
    }

    @Test
    void onlyWithdrawalsCountAStateFromItsReceipt() {
        Subscription skewed = received(Status.SUBSCRIBED, T.plusSeconds(120), T);
        // an opt-in, a resume or a keep still competes with the time the state claims
        assertThat(decide(skewed, Action.OPT_IN, MARKETING, T.plusSeconds(1))).isInstanceOf(Decision.Stale.class);
        assertThat(decide(skewed, Action.RESUME, MARKETING, T.plusSeconds(1))).isInstanceOf(Decision.Stale.class);
        // an opt-out dated ahead of the clock keeps an opt-in received after it but dated before it out
        Subscription optedOut = received(Status.UNSUBSCRIBED, T.plusSeconds(120), T);
        assertThat(decide(optedOut, Action.OPT_IN, MARKETING, T.plusSeconds(60)))
                .isInstanceOf(Decision.Stale.class);
    }

    @Test
    void backDatedChangesStayStaleAgainstNewerOnes() {
        // a late opt-out, older than an opt-in that really happened later, does not apply
        Subscription optedIn = received(Status.SUBSCRIBED, T, T);
        assertThat(decide(optedIn, Action.OPT_OUT, MARKETING, T.minusSeconds(3600)))
                .isInstanceOf(Decision.Stale.class);
        // an imported opt-in from last year does not undo an opt-out received at T about yesterday
        Subscription optedOut = received(Status.UNSUBSCRIBED, T.minusSeconds(86_400), T);
        assertThat(decide(optedOut, Action.OPT_IN, MARKETING, T.minusSeconds(365 * 86_400L)))
                .isInstanceOf(Decision.Stale.class);
        // an opt-out dated after an imported opt-in's own date applies
        Subscription imported = received(Status.SUBSCRIBED, T.minusSeconds(86_400), T);
        assertThat(decide(imported, Action.OPT_OUT, MARKETING, T.minusSeconds(3600)))
                .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null));
    }

    @Test
    void theTimeAStateTookEffectIsTheEarlierOfItsTwo() {
        assertThat(received(Status.SUBSCRIBED, T.plusSeconds(120), T).effectiveSince())
                .isEqualTo(T);
        assertThat(received(Status.SUBSCRIBED, T.minusSeconds(120), T).effectiveSince())
                .isEqualTo(T.minusSeconds(120));
        assertThat(Action.OPT_OUT.isWithdrawal()).isTrue();
        assertThat(Action.SUSPEND.isWithdrawal()).isTrue();
        assertThat(Action.DELETE.isWithdrawal()).isTrue();
        assertThat(Action.OPT_IN.isWithdrawal()).isFalse();
        assertThat(Action.KEEP.isWithdrawal()).isFalse();
    }

    @Test
    void requestsWaitForConfirmationOnlyWhereThePolicySaysSo() {
        assertThat(decide(null, Action.REQUEST_OPT_IN, MARKETING, T))
                .isEqualTo(new Decision.Apply(Status.PENDING, null));
        assertThat(decide(null, Action.REQUEST_OPT_IN, MARKETING, T, Channel.SMS))
                .isEqualTo(new Decision.Apply(Status.SUBSCRIBED, null));
        assertThat(decide(at(Status.SUBSCRIBED, T), Action.REQUEST_OPT_IN, MARKETING, T.plusSeconds(1)))
                .isEqualTo(new Decision.Apply(Status.SUBSCRIBED, null));
        assertThat(decide(null, Action.OPT_IN, MARKETING, T)).isEqualTo(new Decision.Apply(Status.SUBSCRIBED, null));
    }

    @Test
    void deletingKeepsTheStatusAndAnyLaterCommandBringsTheSubscriptionBack() {
        Instant later = T.plusSeconds(1);
        assertThat(decide(at(Status.SUSPENDED, T), Action.DELETE, MARKETING, later))
                .isEqualTo(new Decision.Apply(Status.SUSPENDED, null, true));
        assertThat(decide(deleted(Status.SUSPENDED, T), Action.KEEP, MARKETING, later))
                .isEqualTo(new Decision.Apply(Status.SUSPENDED, null, false));
        assertThat(decide(deleted(Status.SUBSCRIBED, T), Action.OPT_OUT, MARKETING, later))
                .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null, false));
        assertThat(decide(null, Action.DELETE, MARKETING, T))
                .isEqualTo(new Decision.Reject(RejectReason.NO_SUBSCRIPTION, "there is no such subscription"));
        assertThat(decide(null, Action.KEEP, MARKETING, T)).isInstanceOf(Decision.Reject.class);
        assertThat(decide(at(Status.SUBSCRIBED, T), Action.DELETE, RESETS, later))
                .isInstanceOf(Decision.Reject.class);
        assertThat(ConsentPolicy.isUnchanged(
                        deleted(Status.SUBSCRIBED, T), new Decision.Apply(Status.SUBSCRIBED, null, true)))
                .isTrue();
        assertThat(ConsentPolicy.isUnchanged(
                        deleted(Status.SUBSCRIBED, T), new Decision.Apply(Status.SUBSCRIBED, null, false)))
                .isFalse();
    }

    @Test
    void awaitingConfirmationIsPendingWhateverTheTopicsPolicy() {
        assertThat(decide(null, Action.AWAIT_CONFIRMATION, TRANSACTIONAL, T))
                .isEqualTo(new Decision.Apply(Status.PENDING, null));
    }

    @Test
    void confirmsOnlyPendingOptIns() {
        assertThat(decide(at(Status.PENDING, T), Action.CONFIRM, MARKETING, T.plusSeconds(1)))
                .isEqualTo(new Decision.Apply(Status.SUBSCRIBED, null));
        assertThat(decide(at(Status.UNSUBSCRIBED, T), Action.CONFIRM, MARKETING, T.plusSeconds(1)))
                .isEqualTo(new Decision.Reject(RejectReason.NOT_PENDING, "there is no pending opt-in to confirm"));
        assertThat(decide(null, Action.CONFIRM, MARKETING, T)).isInstanceOf(Decision.Reject.class);
    }

    @Test
    void mandatoryTopicsCannotBeLeftOrPaused() {
        assertThat(decide(null, Action.OPT_OUT, RESETS, T))
                .extracting(d -> ((Decision.Reject) d).reason())
                .isEqualTo(RejectReason.MANDATORY_TOPIC);
        assertThat(decide(null, Action.SUSPEND, RESETS, T)).isInstanceOf(Decision.Reject.class);
    }

    @Test
    void suspendsWhatIsSubscribedAndResumesWhatIsSuspended() {
        Instant until = T.plusSeconds(3600);
        assertThat(decide(null, Action.SUSPEND, TRANSACTIONAL, T, Channel.EMAIL, until))
                .isEqualTo(new Decision.Apply(Status.SUSPENDED, until));
        assertThat(decide(null, Action.SUSPEND, MARKETING, T))
                .extracting(d -> ((Decision.Reject) d).reason())
                .isEqualTo(RejectReason.NOT_SUBSCRIBED);
        assertThat(decide(at(Status.SUSPENDED, T), Action.RESUME, MARKETING, T.plusSeconds(1)))
                .isEqualTo(new Decision.Apply(Status.SUBSCRIBED, null));
        assertThat(decide(at(Status.UNSUBSCRIBED, T), Action.RESUME, MARKETING, T.plusSeconds(1)))
                .extracting(d -> ((Decision.Reject) d).reason())
                .isEqualTo(RejectReason.NOT_SUSPENDED);
    }

    @Test
    void reaffirmingAStateIsUnchanged() {
        Subscription current = at(Status.SUBSCRIBED, T);
        assertThat(ConsentPolicy.isUnchanged(current, new Decision.Apply(Status.SUBSCRIBED, null)))
                .isTrue();
        assertThat(ConsentPolicy.isUnchanged(current, new Decision.Apply(Status.UNSUBSCRIBED, null)))
                .isFalse();
        assertThat(ConsentPolicy.isUnchanged(null, new Decision.Apply(Status.SUBSCRIBED, null)))
                .isFalse();
    }

    @Test
    void onlyConsentActionsMoveTheConsentTime() {
        ConsentPolicy.ConsentTime current = new ConsentPolicy.ConsentTime(T, T.plusSeconds(1));
        Instant later = T.plusSeconds(60);
        for (Action action : Action.values()) {
            ConsentPolicy.ConsentTime next = ConsentPolicy.consentTime(current, action, later, later);
            boolean consent = action == Action.OPT_IN
                    || action == Action.REQUEST_OPT_IN
                    || action == Action.CONFIRM
                    || action == Action.AWAIT_CONFIRMATION
                    || action == Action.OPT_OUT;
            assertThat(next)
                    .as(action.name())
                    .isEqualTo(consent ? new ConsentPolicy.ConsentTime(later, later) : current);
        }
        // a pause of a topic that defaults to opted in creates a state no one consented to: never asked
        assertThat(ConsentPolicy.consentTime(null, Action.SUSPEND, later, later))
                .isEqualTo(new ConsentPolicy.ConsentTime(ConsentPolicy.NEVER_ASKED, ConsentPolicy.NEVER_ASKED));
    }

    @Test
    void anOptOutDatedAfterTheLastConsentActionBeatsAnyLaterKeepDeleteOrPause() {
        // opted in at T; then a keep, delete, pause or resume at T + 10 min; an opt-out dated T + 5 min arrives last
        for (Action action : new Action[] {Action.KEEP, Action.DELETE, Action.SUSPEND, Action.RESUME}) {
            Subscription optedIn = at(Status.SUBSCRIBED, T);
            Instant then = T.plusSeconds(600);
            Decision.Apply applied = (Decision.Apply) decide(optedIn, action, MARKETING, then, Channel.EMAIL, null);
            ConsentPolicy.ConsentTime time =
                    ConsentPolicy.consentTime(ConsentPolicy.ConsentTime.of(optedIn), action, then, then);
            Subscription after = new Subscription(
                    1,
                    Channel.EMAIL,
                    "a@example.com",
                    "marketing",
                    applied.status(),
                    applied.suspendedUntil(),
                    time.occurredAt(),
                    "test",
                    time.receivedAt(),
                    applied.deleted(),
                    Map.of());
            assertThat(decide(after, Action.OPT_OUT, MARKETING, T.plusSeconds(300)))
                    .as(action.name())
                    .isEqualTo(new Decision.Apply(Status.UNSUBSCRIBED, null));
        }
    }

    @Test
    void anOptOutIsNeverBeatenByAnActionThatIsNotAnOptIn() {
        Subscription optedOut = at(Status.UNSUBSCRIBED, T);
        for (Action action : Action.values()) {
            if (action == Action.OPT_IN || action == Action.REQUEST_OPT_IN || action == Action.ERASE) {
                continue; // ERASE is no change to a subscription: the policy refuses to decide it
            }
            for (Instant when : new Instant[] {T.minusSeconds(60), T, T.plusSeconds(60)}) {
                Decision decision = decide(optedOut, action, MARKETING, when);
                boolean eligible = decision instanceof Decision.Apply apply
                        && !apply.deleted()
                        && (apply.status() == Status.SUBSCRIBED || apply.status() == Status.SUSPENDED);
                assertThat(eligible).as(action + " at " + when).isFalse();
            }
        }
    }

    private static Decision decide(@Nullable Subscription current, Action action, Topic topic, Instant occurredAt) {
        return decide(current, action, topic, occurredAt, Channel.EMAIL);
    }

    private static Decision decide(
            @Nullable Subscription current, Action action, Topic topic, Instant occurredAt, Channel channel) {
        return decide(current, action, topic, occurredAt, channel, null);
    }

    private static Decision decide(
            @Nullable Subscription current,
            Action action,
            Topic topic,
            Instant occurredAt,
            Channel channel,
            @Nullable Instant until) {
        return ConsentPolicy.decide(current, action, topic, channel, occurredAt, until);
    }

    private static Subscription at(Status status, Instant occurredAt) {
        return new Subscription(
                1,
                Channel.EMAIL,
                "a@example.com",
                "marketing",
                status,
                null,
                occurredAt,
                "test",
                occurredAt,
                false,
                Map.of());
    }

    /** A state whose change happened at {@code occurredAt} by the caller's account and was received at {@code receivedAt}. */
    private static Subscription received(Status status, Instant occurredAt, Instant receivedAt) {
        return new Subscription(
                1,
                Channel.EMAIL,
                "a@example.com",
                "marketing",
                status,
                null,
                occurredAt,
                "test",
                receivedAt,
                false,
                Map.of());
    }

    private static Subscription deleted(Status status, Instant occurredAt) {
        Subscription s = at(status, occurredAt);
        return new Subscription(
                s.contactId(),
                s.channel(),
                s.address(),
                s.topic(),
                s.status(),
                null,
                occurredAt,
                "test",
                occurredAt,
                true,
                Map.of());
    }
}
