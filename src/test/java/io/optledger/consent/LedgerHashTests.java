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
