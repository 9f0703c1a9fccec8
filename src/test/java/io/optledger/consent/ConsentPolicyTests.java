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
            new Topic("marketing", "Marketing", TopicKind.MARKETING, false, false, Set.of(Channel.EMAIL), T, T);
    private static final Topic TRANSACTIONAL =
            new Topic("transactional", "Transactional", TopicKind.TRANSACTIONAL, true, false, Set.of(), T, T);
    private static final Topic RESETS =
            new Topic("resets", "Password resets", TopicKind.TRANSACTIONAL, true, true, Set.of(), T, T);

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
