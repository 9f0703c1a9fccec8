package io.optledger.messaging;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.access.Workspaces;
import io.optledger.contact.Channel;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What the service sent, or tried to send, to an address: for support questions and audits. */
@RestController
@Tag(name = "Messages")
class MessagesController {

    private final Messages messages;
    private final Workspaces workspaces;

    MessagesController(Messages messages, Workspaces workspaces) {
        this.messages = messages;
        this.workspaces = workspaces;
    }

    record MessageList(List<OutboundMessage> messages) {}

    @GetMapping("/v1/messaging/messages")
    @RequiresScope(Scope.SUBSCRIPTIONS_READ)
    @Operation(
            summary = "Every message queued to an address, oldest first, with its status, attempts and last error",
            description = "Statuses: QUEUED, SENDING (claimed by a worker), SENT, FAILED (given up after the maximum"
                    + " attempts, or at once when an SMTP server refused the recipient for good), CANCELLED (not sent:"
                    + " the recipient texted STOP, was suppressed when it was due, or the opt-in it asks to confirm"
                    + " no longer pends). An email also has its subject, HTML body (html; body is its plain text) and"
                    + " topic; its links show as {confirmUrl} and {unsubscribeUrl}: they are signed when it is sent,"
                    + " never stored.")
    MessageList list(Caller caller, @RequestParam Channel channel, @RequestParam String recipient) {
        String address = channel.normaliseAddress(recipient, workspaces.defaultRegion(caller.workspaceId()));
        return new MessageList(messages.to(caller.workspaceId(), channel, address));
    }
}
