package io.optledger.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.optledger.platform.InvalidInput;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
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
    void theMailboxCheckAcceptsExactlyTheDocumentedLanguage() {
        Pattern language = Pattern.compile(EmailAddresses.LANGUAGE);
        String label63 = "a".repeat(61);
        List<String> edges = List.of(
                "a@b.co",
                "a.b@c.de",
                ".a@b.co",
                "a.@b.co",
                "a..b@c.de",
                "a@b..co",
                "a@.b.co",
                "a@b.co.",
                "a@-b.co",
                "a@b-.co",
                "a@b-c.co",
                "a@b.c",
                "a@b.c0",
                "a@b." + "c".repeat(63),
                "a@b." + "c".repeat(64),
                "a@x" + label63 + "y.co",
                "a@x" + label63 + "yz.co",
                "a@1.2.co",
                "!#$%&'*+/=?^_`{|}~-@b.co",
                "a@b@c.co",
                "@b.co",
                "a@",
                "a@co",
                "a@b_c.co",
                "a b@c.co",
                "ä@b.co",
                "a@b.cö");
        for (String email : edges) {
            assertThat(EmailAddresses.isMailbox(email))
                    .as(email)
                    .isEqualTo(language.matcher(email).matches());
        }
        // random strings over the characters that matter, many of them near-addresses
        Random random = new Random(8058);
        String alphabet = "ab0-._@@..--!+zé";
        int accepted = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder email = new StringBuilder();
            int length = 1 + random.nextInt(14);
            for (int i = 0; i < length; i++) {
                email.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextBoolean()) {
                email.append(random.nextBoolean() ? ".co" : "@b.co");
            }
            boolean expected = language.matcher(email).matches();
            assertThat(EmailAddresses.isMailbox(email.toString()))
                    .as(email.toString())
                    .isEqualTo(expected);
            accepted += expected ? 1 : 0;
        }
        // the comparison is only worth something if both answers came up often
        assertThat(accepted).isBetween(5_000, 195_000);
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
            // a refusal is not remembered as anything
            assertThatThrownBy(() -> PhoneNumbers.normalise(bad, "US")).as(bad).isInstanceOf(InvalidInput.class);
        }
    }

    @Test
    void aNumberReadAgainIsReadInItsOwnRegion() {
        // remembered by region and text: the same national digits are another number in another region
        assertThat(PhoneNumbers.normalise("020 7946 0958", "GB")).isEqualTo("+442079460958");
        assertThatThrownBy(() -> PhoneNumbers.normalise("020 7946 0958", "US")).isInstanceOf(InvalidInput.class);
        assertThat(PhoneNumbers.normalise("(415) 555-2671", "US")).isEqualTo("+14155552671");
        assertThat(PhoneNumbers.normalise("(415) 555-2671", "US")).isEqualTo("+14155552671");
        assertThat(PhoneNumbers.normalise("06 12 34 56 78", "FR")).isEqualTo("+33612345678");
        assertThat(PhoneNumbers.normalise("06 12 34 56 78", "FR")).isEqualTo("+33612345678");
    }
}
