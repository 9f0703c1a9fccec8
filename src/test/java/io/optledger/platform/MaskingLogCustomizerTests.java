package io.optledger.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingLogCustomizerTests {

    @Test
    void masksEmailsAndPhonesButLeavesTheRest() {
        assertThat(MaskingLogCustomizer.mask(
                        "opted out ada.lovelace@example.co.uk via +447700900123 (contact 12345678)"))
                .isEqualTo("opted out a***@example.co.uk via +***23 (contact 12345678)");
        assertThat(MaskingLogCustomizer.mask("nothing personal")).isEqualTo("nothing personal");
    }
}
