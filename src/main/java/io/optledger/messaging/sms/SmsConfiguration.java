package io.optledger.messaging.sms;

import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the SMS sender: {@code optledger.sms.sender=log} (the default) or {@code http} with its gateway settings. */
@Configuration(proxyBeanMethods = false)
class SmsConfiguration {

    /** The gateway request body unless {@code optledger.sms.http.body} gives another. */
    static final String DEFAULT_BODY = "{\"from\":\"{from}\",\"to\":\"{to}\",\"text\":\"{body}\"}";

    @Bean
    SmsSender smsSender(
            @Value("${optledger.sms.sender:log}") String sender,
            @Value("${optledger.sms.http.url:}") String url,
            @Value("${optledger.sms.http.authorization:}") String authorization,
            @Value("${optledger.sms.http.body:}") String body) {
        return switch (sender) {
            case "log" -> new LoggingSmsSender();
            case "http" -> {
                if (url.isBlank()) {
                    throw new IllegalStateException("optledger.sms.sender=http needs optledger.sms.http.url");
                }
                yield new HttpSmsSender(URI.create(url), authorization, body.isBlank() ? DEFAULT_BODY : body);
            }
            default -> throw new IllegalStateException("optledger.sms.sender is 'log' or 'http', not '" + sender + "'");
        };
    }
}
