package io.optledger.consent;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.consent.ledger.ConsentEvent;
import io.optledger.consent.ledger.EventOutcome;
import io.optledger.consent.ledger.LedgerHash;
import io.optledger.contact.Channel;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerHashTests {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123456Z");

    @Test
    void theCanonicalFormIsTheDocumentedOne() {
        assertThat(LedgerHash.canonical(event("web", null, Map.of("orgUnitId", "7"))))
                .isEqualTo("""
                        optledger-ledger-v1
                        workspace=1
                        contact=42
                        seq=1
                        channel=EMAIL
                        address=a@example.com
                        topic=marketing
                        action=OPT_IN
                        outcome=CREATED
                        rejectReason
                        from
                        to=SUBSCRIBED
                        suspendedUntil
                        occurredAt=2026-01-02T03:04:05.123456Z
                        recordedAt=2026-01-02T03:04:05.123456Z
                        source=web
                        reason
                        campaignId
                        communicationId
                        signUpUnit
                        ip=127.0.0.1
                        userAgent
                        apiKeyId=key_1
                        requestId=r-1
                        details.orgUnitId=7
                        prev=0000000000000000000000000000000000000000000000000000000000000000
                        """);
    }

    /** Key bytes 0, 1, ..., 31; the commitments were computed with Python's hmac module, not with this code. */
    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) i;
        }
    }

    @Test
    void theSecondFormHashesCommitmentsInsteadOfPersonalFields() {
        ConsentEvent event = event("web", "moved", Map.of("orgUnitId", "7")).committedWith(KEY);
        assertThat(event.form()).isEqualTo(2);
        assertThat(LedgerHash.canonical(event)).isEqualTo("""
                        optledger-ledger-v2
                        workspace=1
                        contact=42
                        seq=1
                        channel=EMAIL
                        address=025bc95d0003a367d8e4d27e34d55913c118e9aec5052f8a5f71c9ed95550af0
                        topic=marketing
                        action=OPT_IN
                        outcome=CREATED
                        rejectReason
                        from
                        to=SUBSCRIBED
                        suspendedUntil
                        occurredAt=2026-01-02T03:04:05.123456Z
                        recordedAt=2026-01-02T03:04:05.123456Z
                        source=web
                        reason=882fee5a39291b0eb013a6ff3ec60a3c4ace4638f9461e53721fab382bb4e41d
                        campaignId
                        communicationId
                        signUpUnit
                        ip=a4a66d8b7371c9ddc54959ab2b85228b30e4e2bd26715c3c8d0c2eeda16547d0
                        userAgent
                        apiKeyId=key_1
                        requestId=r-1
                        details.orgUnitId=81aa5ed7bb52e16d2e5073cb07631fef1577eacaf109f669570ab774c1f56056
                        prev=0000000000000000000000000000000000000000000000000000000000000000
                        """);
        assertThat(LedgerHash.unopened(KEY, event)).isNull();
        byte[] other = KEY.clone();
        other[0] = 1;
        assertThat(LedgerHash.unopened(other, event)).isEqualTo("address");
    }

    @Test
    void noValueCanForgeALineOrPassForAnother() {
        ConsentEvent forged = event("web\nreason=forged", null, Map.of());
        assertThat(LedgerHash.canonical(forged))
                .contains("source=web\\nreason=forged\n")
                .doesNotContain("\nreason=forged");
        assertThat(LedgerHash.of(event("web", "", Map.of()))).isNotEqualTo(LedgerHash.of(event("web", null, Map.of())));
        assertThat(LedgerHash.of(event("web", null, Map.of())))
                .hasSize(64)
                .isEqualTo(LedgerHash.of(event("web", null, Map.of())));
    }

    private static ConsentEvent event(String source, String reason, Map<String, String> details) {
        return new ConsentEvent(
                1,
                42,
                1,
                Channel.EMAIL,
                "a@example.com",
                "marketing",
                Action.OPT_IN,
                EventOutcome.CREATED,
                null,
                null,
                Status.SUBSCRIBED,
                null,
                T,
                T,
                source,
                reason,
                null,
                null,
                null,
                "127.0.0.1",
                null,
                "key_1",
                "r-1",
                details,
                LedgerHash.GENESIS,
                "");
    }
}
