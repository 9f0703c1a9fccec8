package io.optledger.messaging;

import io.optledger.access.Caller;
import io.optledger.access.RequiresScope;
import io.optledger.access.Scope;
import io.optledger.consent.RequestContext;
import io.optledger.platform.InvalidInput;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SMS provider's webhook for texts sent to us. Authenticated by the workspace's inbound secret: an API key with
 * scope {@code sms:inbound} (or admin). Takes JSON or a form, with {@code from}, {@code to} and {@code body} in any
 * case.
 */
@RestController
@Tag(name = "Inbound SMS")
class InboundSmsController {

    private final InboundKeywords keywords;

    InboundSmsController(InboundKeywords keywords) {
        this.keywords = keywords;
    }

    /** A text sent to one of our numbers. */
    record InboundSms(
            @Nullable String from,
            @Nullable String to,
            @Nullable String body) {}

    @PostMapping(path = "/v1/inbound/sms", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresScope(Scope.SMS_INBOUND)
    @Operation(
            summary =
                    "Receive a text: STOP-family keywords opt out, START/UNSTOP resume, Y/YES confirm, HELP/INFO help",
            description = "The whole body is one keyword; punctuation, case, accents and polite words are ignored"
                    + " (\"Stop.\", \"stop please\", \"Unsubscribe me\"). STOP opts the number out of every SMS"
                    + " marketing topic and cancels its unsent confirmation texts; START restores only what STOP"
                    + " changed; Y confirms pending opt-ins and nothing else. Each consent change is a ledger event"
                    + " with source sms-keyword; replies are queued and sent by the message worker. Unknown words"
                    + " change nothing.")
    InboundKeywords.Handled receive(Caller caller, HttpServletRequest http, @RequestBody InboundSms sms) {
        return handle(caller, http, sms);
    }

    @PostMapping(path = "/v1/inbound/sms", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @RequiresScope(Scope.SMS_INBOUND)
    InboundKeywords.Handled receiveForm(
            Caller caller, HttpServletRequest http, @RequestParam Map<String, String> form) {
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.putAll(form);
        return handle(caller, http, new InboundSms(fields.get("from"), fields.get("to"), fields.get("body")));
    }

    private InboundKeywords.Handled handle(Caller caller, HttpServletRequest http, InboundSms sms) {
        if (sms.from() == null || sms.body() == null) {
            throw new InvalidInput("from", "an inbound text needs from and body");
        }
        return keywords.handle(caller.workspaceId(), sms.from(), sms.body(), RequestContext.of(http, caller.keyId()));
    }
}
