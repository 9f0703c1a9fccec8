package io.optledger.messaging.sms;

/** Sends one text message; a failure is thrown, and the message is tried again later. */
public interface SmsSender {

    void send(String from, String to, String body) throws SendFailure;

    /** A send that did not go through, with why (no secrets, no message body). */
    final class SendFailure extends Exception {
        public SendFailure(String reason) {
            super(reason);
        }
    }
}
