package io.optledger.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The delivery settings refuse values that would break a pass: a lease shorter than two attempts, sizes out of range. */
class WebhookSettingsTests {

    private static WebhookSettings settings(Duration timeout, Duration lease, int concurrency, int passSize) {
        return new WebhookSettings(
                timeout,
                Duration.ofHours(24),
                Duration.ofHours(24),
                Duration.ofDays(7),
                false,
                Duration.ofMillis(200),
                lease,
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                concurrency,
                passSize);
    }

    @Test
    void theDefaultsAndTheBoundsAreAccepted() {
        assertThat(settings(Duration.ofSeconds(10), Duration.ofSeconds(60), 16, 200)
                        .passSize())
                .isEqualTo(200);
        assertThat(settings(Duration.ofSeconds(10), Duration.ofSeconds(20), 1, 1)
                        .concurrency())
                .isEqualTo(1);
        assertThat(settings(Duration.ofSeconds(10), Duration.ofSeconds(20), 256, 1000)
                        .passSize())
                .isEqualTo(1000);
    }

    @Test
    void aPassSizeOutOfRangeIsRefusedByName() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(10), Duration.ofSeconds(60), 16, 0))
                .hasMessageContaining("optledger.webhooks.pass-size");
        assertThatThrownBy(() -> settings(Duration.ofSeconds(10), Duration.ofSeconds(60), 16, 1001))
                .hasMessageContaining("optledger.webhooks.pass-size");
    }

    @Test
    void aConcurrencyOutOfRangeOrALeaseShorterThanTwoAttemptsIsRefused() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(10), Duration.ofSeconds(60), 0, 200))
                .hasMessageContaining("optledger.webhooks.concurrency");
        assertThatThrownBy(() -> settings(Duration.ofSeconds(10), Duration.ofSeconds(19), 16, 200))
                .hasMessageContaining("optledger.webhooks.lease");
    }
}
