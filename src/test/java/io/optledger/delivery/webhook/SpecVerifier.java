package io.optledger.delivery.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a webhook, written from the Standard Webhooks specification alone (never the service's
 * signing code): the secret is {@code whsec_} and base64, the key its decoded bytes; the signed content is
 * {@code webhook-id.webhook-timestamp.body}; webhook-signature holds space-delimited {@code v1,<base64 HMAC-SHA256>}
 * signatures, any one of which may match, compared in constant time.
 */
final class SpecVerifier {

    private SpecVerifier() {}

    /** The signatures in the header that the secret makes for this request. */
    static List<String> matching(String secret, Receiver.Received request) throws Exception {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        String header = request.header("webhook-signature");
        if (id == null || timestamp == null || header == null || !secret.startsWith("whsec_")) {
            return List.of();
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8));
        List<String> matching = new ArrayList<>();
        for (String signature : header.split(" ")) {
            int comma = signature.indexOf(',');
            if (comma < 0 || !signature.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(signature.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                matching.add(signature);
            }
        }
        return matching;
    }

    static boolean verifies(String secret, Receiver.Received request) throws Exception {
        return !matching(secret, request).isEmpty();
    }
}
