package io.optledger.messaging.email;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Picks the email sender: SMTP when Spring Boot configured a {@link JavaMailSender} ({@code spring.mail.host} set),
 * with {@code optledger.email.from} then required; else the logging sender. And the confirmation window.
 */
@Configuration(proxyBeanMethods = false)
class EmailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmailConfiguration.class);

    @Bean
    EmailSender emailSender(
            ObjectProvider<JavaMailSender> mail,
            Clock clock,
            @Value("${optledger.email.from:}") String from,
            @Value("${optledger.public-url:}") String publicUrl) {
        JavaMailSender smtp = mail.getIfAvailable();
        if (smtp == null) {
            return new LoggingEmailSender();
        }
        if (from.isBlank()) {
            throw new IllegalStateException(
                    "spring.mail.host is set: set optledger.email.from too, the address emails are sent from");
        }
        InternetAddress sender;
        try {
            sender = new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalStateException("optledger.email.from is not an email address: " + e.getMessage());
        }
        if (publicUrl.isBlank()) {
            log.warn("optledger.public-url is not set: the links in emails point at this node's own port on"
                    + " localhost, which no recipient can open");
        }
        return new SmtpEmailSender(smtp, sender, clock);
    }

    @Bean
    ConfirmationWindow confirmationWindow(
            @Value("${optledger.email.confirmation-days:7}") String days,
            @Value("${optledger.email.resend-interval:10m}") Duration resendInterval) {
        // a number of days, or a duration with its unit (12h) for a window shorter than a day
        return new ConfirmationWindow(DurationStyle.detectAndParse(days, ChronoUnit.DAYS), resendInterval);
    }
}
