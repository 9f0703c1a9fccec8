package io.optledger.preferences;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.optledger.contact.Channel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signed links: capabilities, not database rows. A token is the base64url of its claims (compact JSON), a dot, and
 * the base64url of an HMAC-SHA256 over the claims under the workspace key the claims name. No email or phone is in
 * it; verifying it needs only the key. Lifetimes per kind are configurable: unsubscribe links live for a year, since
 * mail sits in inboxes.
 */
@Service
public class LinkTokens {

    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final String MAC = "HmacSHA256";
    /** Longer than any token this service mints: a longer one is refused before it is decoded. */
    static final int MAX_TOKEN = 1_024;

    private final LinkKeys keys;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<LinkKind, Duration> lifetimes;

    LinkTokens(
            LinkKeys keys,
            Clock clock,
            @Value("${optledger.links.lifetime.preferences:90d}") Duration preferences,
            @Value("${optledger.links.lifetime.unsubscribe:365d}") Duration unsubscribe,
            @Value("${optledger.links.lifetime.confirm:7d}") Duration confirm) {
        this.keys = keys;
        this.clock = clock;
        this.lifetimes =
                Map.of(LinkKind.PREFERENCES, preferences, LinkKind.UNSUBSCRIBE, unsubscribe, LinkKind.CONFIRM, confirm);
    }

    /** The lifetime of a link of this kind unless its minter asks for less. */
    public Duration lifetime(LinkKind kind) {
        return lifetimes.get(kind);
    }

    /** Mints a token for a link, signed with the workspace's current key; {@code lifetime} null means the kind's. */
    public Minted mint(
            long workspaceId,
            long contactId,
            LinkKind kind,
            @Nullable String topic,
            @Nullable Channel channel,
            @Nullable String locale,
            @Nullable Duration lifetime) {
        LinkKey key = keys.signing(workspaceId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Duration life = lifetime == null || lifetime.compareTo(lifetime(kind)) > 0 ? lifetime(kind) : lifetime;
        LinkClaims claims =
                new LinkClaims(workspaceId, contactId, kind, topic, channel, locale, now, now.plus(life), key.id());
        String body = ENCODE.encodeToString(json.writeValueAsBytes(Payload.of(claims)));
        return new Minted(body + "." + ENCODE.encodeToString(sign(key, body)), claims);
    }

    /**
     * The claims of a token for a link of {@code kind}, if its signature holds under a key of its workspace that is
     * not retired and it has not expired.
     *
     * @throws InvalidLink otherwise, whatever the reason
     */
    public LinkClaims verify(String token, LinkKind kind) {
        if (token.length() > MAX_TOKEN) {
            throw new InvalidLink("token longer than " + MAX_TOKEN);
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new InvalidLink("not a token");
        }
        String body = token.substring(0, dot);
        Payload payload;
        byte[] signature;
        try {
            payload = json.readValue(DECODE.decode(body), Payload.class);
            signature = DECODE.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException | JacksonException e) {
            throw new InvalidLink("undecodable token: " + e.getMessage());
        }
        if (payload.kid() == null || payload.k() == null) {
            throw new InvalidLink("token without key or kind");
        }
        LinkKey key = keys.verifying(payload.w(), payload.kid())
                .orElseThrow(() -> new InvalidLink("no key " + payload.kid() + " in workspace " + payload.w()));
        if (!MessageDigest.isEqual(sign(key, body), signature)) {
            throw new InvalidLink("bad signature");
        }
        LinkClaims claims = payload.claims();
        if (claims.kind() != kind) {
            throw new InvalidLink("a " + claims.kind().value() + " link used as " + kind.value());
        }
        if (!clock.instant().isBefore(claims.expiresAt())) {
            throw new InvalidLink("expired at " + claims.expiresAt());
        }
        return claims;
    }

    private static byte[] sign(LinkKey key, String body) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(key.secret(), MAC));
            return mac.doFinal(("optledger-link." + body).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** A minted token and what it says. */
    public record Minted(String token, LinkClaims claims) {}

    /** The claims as the token carries them: short names, times in epoch seconds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Payload(
            long w,
            long c,
            @Nullable LinkKind k,
            @Nullable String t,
            @Nullable Channel ch,
            @Nullable String l,
            long iat,
            long exp,
            @Nullable String kid) {

        static Payload of(LinkClaims claims) {
            return new Payload(
                    claims.workspaceId(),
                    claims.contactId(),
                    claims.kind(),
                    claims.topic(),
                    claims.channel(),
                    claims.locale(),
                    claims.issuedAt().getEpochSecond(),
                    claims.expiresAt().getEpochSecond(),
                    claims.keyId());
        }

        LinkClaims claims() {
            return new LinkClaims(
                    w,
                    c,
                    java.util.Objects.requireNonNull(k),
                    t,
                    ch,
                    l,
                    Instant.ofEpochSecond(iat),
                    Instant.ofEpochSecond(exp),
                    java.util.Objects.requireNonNull(kid));
        }
    }
}
