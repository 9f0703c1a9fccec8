package io.optledger.messaging.email;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender without an SMTP server: writes a line per email to the log and sends nothing. The recipient is masked
 * here, not only by the structured log's masking, and neither the bodies nor their links (capabilities) are logged.
 */
public class LoggingEmailSender implements EmailSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingEmailSender.class);

    public LoggingEmailSender() {
        log.info("No SMTP server configured (spring.mail.host is not set): emails are written to the log, masked,"
                + " and not sent");
    }

    @Override
    public void send(Email email) {
        log.info(
                "Email not sent (no spring.mail.host): to {}, subject of {} characters, text of {}, HTML of {},"
                        + " headers {}",
                mask(email.to()),
                email.subject().length(),
                email.text().length(),
                email.html().length(),
                email.headers().keySet().stream().sorted().toList());
    }

    /** The first character of the local part and the domain ({@code a***@example.com}); never the whole address. */
    public static String mask(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return address.substring(0, address.offsetByCodePoints(0, 1)) + "***" + address.substring(at);
    }
}
