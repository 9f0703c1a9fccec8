package io.optledger.messaging.email;

import java.util.Map;

/** Sends one email; a failure is thrown, and the message is tried again later unless the failure is permanent. */
public interface EmailSender {

    void send(Email email) throws SendFailure;

    /**
     * One email as it goes out: its recipient, one-line subject, plain-text and HTML bodies (sent as
     * multipart/alternative) and extra headers ({@code List-Unsubscribe}, say).
     */
    record Email(String to, String subject, String text, String html, Map<String, String> headers) {

        public Email {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * A send that did not go through, with why (no secrets, no whole address, no message body). A permanent one (the
     * server refused the recipient for good) is not tried again.
     */
    final class SendFailure extends Exception {

        private final boolean permanent;

        public SendFailure(String reason, boolean permanent) {
            super(reason);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
