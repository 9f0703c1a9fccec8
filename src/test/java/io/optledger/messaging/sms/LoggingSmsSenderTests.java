package io.optledger.messaging.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The logging sender never prints a whole phone number, whatever the log's format. */
@ExtendWith(OutputCaptureExtension.class)
class LoggingSmsSenderTests {

    @Test
    void theRecipientIsMaskedInThePlainLog(CapturedOutput output) {
        new LoggingSmsSender().send("+15550001111", "+14155550142", "Reply Y to confirm");

        assertThat(output.getOut() + output.getErr())
                .contains("SMS not sent")
                .contains("+***42")
                .doesNotContain("4155550142")
                .doesNotContain("5550001111");
    }
}
