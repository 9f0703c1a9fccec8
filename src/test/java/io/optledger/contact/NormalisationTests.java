package io.optledger.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.platform.InvalidInput;
import org.junit.jupiter.api.Test;

class NormalisationTests {

    @Test
    void emailsAreTrimmedAndLowercased() {
        assertThat(EmailAddresses.normalise("  Ada.Lovelace+news@Example.COM "))
                .isEqualTo("ada.lovelace+news@example.com");
    }

    @Test
    void refusesWhatIsNotAMailbox() {
        for (String bad :
                new String[] {"", "ada", "ada@", "@example.com", "ada@example", "a b@example.com", "ada@@example.com"
                }) {
            assertThatThrownBy(() -> EmailAddresses.normalise(bad)).as(bad).isInstanceOf(InvalidInput.class);
        }
    }

    @Test
    void phonesBecomeE164InTheWorkspaceRegion() {
        assertThat(PhoneNumbers.normalise("(415) 555-2671", "US")).isEqualTo("+14155552671");
        assertThat(PhoneNumbers.normalise("020 7946 0958", "GB")).isEqualTo("+442079460958");
        assertThat(PhoneNumbers.normalise("+33 6 12 34 56 78", "US")).isEqualTo("+33612345678");
    }

    @Test
    void refusesImpossibleNumbers() {
        for (String bad : new String[] {"12", "+1 555", "not a phone", "+999 1234 5678"}) {
            assertThatThrownBy(() -> PhoneNumbers.normalise(bad, "US")).as(bad).isInstanceOf(InvalidInput.class);
        }
    }
}
