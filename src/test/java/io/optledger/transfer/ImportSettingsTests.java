package io.optledger.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The import settings refuse values a pass could not work with, naming the property. */
class ImportSettingsTests {

    private static ImportSettings settings(int chunk, Duration passBudget, int concurrentChunks) {
        return new ImportSettings(chunk, Duration.ofSeconds(60), Duration.ofSeconds(1), passBudget, concurrentChunks);
    }

    @Test
    void theDefaultsAndTheBoundsAreAccepted() {
        assertThat(settings(1_000, Duration.ofSeconds(20), 2).concurrentChunks())
                .isEqualTo(2);
        assertThat(settings(1, Duration.ofSeconds(20), 1).chunk()).isEqualTo(1);
        assertThat(settings(ImportSettings.MAX_CHUNK, Duration.ofSeconds(59), ImportSettings.MAX_CONCURRENT_CHUNKS)
                        .concurrentChunks())
                .isEqualTo(8);
    }

    @Test
    void valuesOutOfRangeAreRefusedByName() {
        assertThatThrownBy(() -> settings(1_000, Duration.ofSeconds(20), 0))
                .hasMessageContaining("optledger.imports.concurrent-chunks");
        assertThatThrownBy(() -> settings(1_000, Duration.ofSeconds(20), 9))
                .hasMessageContaining("optledger.imports.concurrent-chunks");
        assertThatThrownBy(() -> settings(0, Duration.ofSeconds(20), 2))
                .hasMessageContaining("optledger.imports.chunk");
        assertThatThrownBy(() -> settings(1_000, Duration.ofSeconds(60), 2))
                .hasMessageContaining("optledger.imports.pass-budget");
    }
}
