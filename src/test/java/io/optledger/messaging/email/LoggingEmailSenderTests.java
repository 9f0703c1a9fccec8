package io.optledger.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The logging sender says once that it sends nothing, and never prints a whole address, a body or a link. */
@ExtendWith(OutputCaptureExtension.class)
class LoggingEmailSenderTests {

    @Test
    void itSaysSoOnceAndMasksTheRecipient(CapturedOutput output) {
        LoggingEmailSender sender = new LoggingEmailSender();
        sender.send(email("ada.lovelace@example.com"));
        sender.send(email("\"odd local\"@example.com"));

        String log = output.getOut() + output.getErr();
        assertThat(log.split("No SMTP server configured", -1)).hasSize(2);
        assertThat(log)
                .contains("Email not sent")
                .contains("a***@example.com")
                .contains("\"***@example.com")
                .doesNotContain("ada.lovelace")
                .doesNotContain("odd local")
                .doesNotContain("secret-token")
                .doesNotContain("Confirm your subscription");
    }

    @Test
    void anAddressWithoutALocalPartIsMaskedWhole() {
        assertThat(LoggingEmailSender.mask("@example.com")).isEqualTo("***");
        assertThat(LoggingEmailSender.mask("not an address")).isEqualTo("***");
    }

    private static EmailSender.Email email(String to) {
        return new EmailSender.Email(
                to,
                "Confirm your subscription",
                "https://x/c/secret-token",
                "<a href=\"https://x/c/secret-token\">yes</a>",
                Map.of("List-Unsubscribe", "<https://x/u/secret-token>"));
    }
}
