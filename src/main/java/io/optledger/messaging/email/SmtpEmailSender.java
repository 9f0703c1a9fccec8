package io.optledger.messaging.email;

import io.optledger.messaging.MessageTemplates;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Sends email through an SMTP server with Spring's {@link JavaMailSender} (the {@code spring.mail.*} properties):
 * multipart/alternative, plain text first and HTML second, from {@code optledger.email.from}. A recipient the server
 * refuses with a 5xx reply is a permanent failure; everything else (no connection, a timeout, a 4xx, a refused sender
 * or authentication, which are the server's or its configuration's trouble, not the address's) is retried.
 */
public class SmtpEmailSender implements EmailSender {

    private final JavaMailSender mail;
    private final InternetAddress from;
    private final Clock clock;

    public SmtpEmailSender(JavaMailSender mail, InternetAddress from, Clock clock) {
        this.mail = mail;
        this.from = from;
        this.clock = clock;
    }

    @Override
    public void send(Email email) throws SendFailure {
        MimeMessage message = mail.createMimeMessage();
        try {
            message.setFrom(from);
            message.setRecipient(RecipientType.TO, new InternetAddress(email.to(), true));
            message.setSubject(MessageTemplates.oneLine(email.subject()), StandardCharsets.UTF_8.name());
            // the mail API takes no java.time: the Date header RFC 5322 asks for
            message.setSentDate(Date.from(clock.instant()));
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.html(), StandardCharsets.UTF_8.name(), "html");
            // the last part is the richest: clients that can show HTML show it, others the text
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
            for (Map.Entry<String, String> header : email.headers().entrySet()) {
                message.setHeader(header.getKey(), MessageTemplates.oneLine(header.getValue()));
            }
        } catch (AddressException e) {
            throw new SendFailure("the recipient is not an email address", true);
        } catch (MessagingException e) {
            throw new SendFailure(
                    "the email could not be built: " + e.getClass().getSimpleName(), true);
        }
        try {
            mail.send(message);
        } catch (MailException e) {
            throw failure(e);
        }
    }

    /** What went wrong, from the first SMTP reply or network failure in the exception's causes. */
    static SendFailure failure(MailException e) {
        if (e instanceof MailAuthenticationException) {
            return new SendFailure("the SMTP server refused the credentials", false);
        }
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(e);
        if (e instanceof MailSendException send) {
            pending.addAll(send.getFailedMessages().values());
        }
        Set<Throwable> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SMTPAddressFailedException refused) {
                int code = refused.getReturnCode();
                return new SendFailure(
                        "the SMTP server answered " + code + " to the recipient", code >= 500 && code < 600);
            }
            if (t instanceof SMTPSenderFailedException refused) {
                return new SendFailure("the SMTP server answered " + refused.getReturnCode() + " to the sender", false);
            }
            if (t instanceof SMTPSendFailedException refused) {
                return new SendFailure(
                        "the SMTP server answered " + refused.getReturnCode() + " to the message", false);
            }
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof SocketTimeoutException) {
                return new SendFailure(
                        "the SMTP server could not be reached: " + t.getClass().getSimpleName(), false);
            }
            add(pending, t.getCause());
            if (t instanceof MessagingException messaging) {
                add(pending, messaging.getNextException());
            }
        }
        return new SendFailure("the SMTP send failed: " + e.getClass().getSimpleName(), false);
    }

    private static void add(Deque<Throwable> pending, @Nullable Throwable t) {
        if (t != null) {
            pending.add(t);
        }
    }
}
