package io.optledger.messaging.sms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default sender: writes each text to the log (the number masked by the log's own masking) and sends nothing. */
public class LoggingSmsSender implements SmsSender {

    private static final Logger log = LoggerFactory.getLogger(LoggingSmsSender.class);

    @Override
    public void send(String from, String to, String body) {
        log.info("SMS not sent (optledger.sms.sender=log): from {} to {}, {} characters", from, to, body.length());
    }
}
