package io.optledger.messaging.sms;

import io.optledger.platform.MaskingLogCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default sender: writes each text to the log and sends nothing. The numbers are masked here, not only by the
 * structured log's masking, so the human-readable console never shows them either.
 */
public class LoggingSmsSender implements SmsSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingSmsSender.class);

    @Override
    public void send(String from, String to, String body) {
        log.info(
                "SMS not sent (optledger.sms.sender=log): from {} to {}, {} characters",
                MaskingLogCustomizer.mask(from),
                MaskingLogCustomizer.mask(to),
                body.length());
    }
}
