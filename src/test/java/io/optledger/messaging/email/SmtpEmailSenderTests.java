package io.optledger.messaging.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import jakarta.mail.internet.InternetAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * How SMTP replies become failures, against a scripted SMTP server on a real socket: a 5xx to the recipient is
 * permanent; a 4xx, or no server at all, is tried again.
 */
class SmtpEmailSenderTests {

    private static final EmailSender.Email EMAIL = new EmailSender.Email(
            "someone@example.com", "Confirm", "text", "<p>html</p>", Map.of("List-Unsubscribe", "<https://x/u/t>"));

    @Test
    void aRecipientRefusedForGoodIsAPermanentFailure() throws Exception {
        EmailSender.SendFailure failure =
                sendTo(refusingRecipientsWith("550 5.1.1 <someone@example.com>: no such user"));

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.getMessage()).contains("550").doesNotContain("someone@example.com");
    }

    @Test
    void aRecipientRefusedForNowIsTriedAgain() throws Exception {
        EmailSender.SendFailure failure = sendTo(refusingRecipientsWith("451 4.3.0 try again later"));

        assertThat(failure.permanent()).isFalse();
        assertThat(failure.getMessage()).contains("451");
    }

    @Test
    void noServerIsTriedAgain() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        EmailSender.SendFailure failure = send(port);

        assertThat(failure.permanent()).isFalse();
        assertThat(failure.getMessage()).contains("could not be reached");
    }

    private static EmailSender.SendFailure sendTo(ServerSocket server) throws Exception {
        try (server) {
            return send(server.getLocalPort());
        }
    }

    private static EmailSender.SendFailure send(int port) throws Exception {
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(port);
        mail.getJavaMailProperties().put("mail.smtp.connectiontimeout", "2000");
        mail.getJavaMailProperties().put("mail.smtp.timeout", "2000");
        SmtpEmailSender sender =
                new SmtpEmailSender(mail, new InternetAddress("no-reply@optledger.test"), Clock.systemUTC());
        return catchThrowableOfType(EmailSender.SendFailure.class, () -> sender.send(EMAIL));
    }

    /** An SMTP server that greets, accepts the sender and answers every recipient with {@code reply}. */
    private static ServerSocket refusingRecipientsWith(String reply) throws IOException {
        ServerSocket server = new ServerSocket(0);
        CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept();
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                out.print("220 scripted ESMTP\r\n");
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.toUpperCase(Locale.ROOT);
                    String answer = command.startsWith("EHLO") || command.startsWith("HELO")
                            ? "250 scripted"
                            : command.startsWith("MAIL")
                                    ? "250 ok"
                                    : command.startsWith("RCPT")
                                            ? reply
                                            : command.startsWith("QUIT")
                                                    ? "221 bye"
                                                    : command.startsWith("RSET") || command.startsWith("NOOP")
                                                            ? "250 ok"
                                                            : "502 not implemented";
                    out.print(answer + "\r\n");
                    out.flush();
                    if (command.startsWith("QUIT")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client hung up: the test has its answer
            }
        });
        return server;
    }
}
