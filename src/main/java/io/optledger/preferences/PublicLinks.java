package io.optledger.preferences;

import io.optledger.contact.Channel;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Links as a person receives them: a minted token under the service's public address ({@code optledger.public-url},
 * since the service usually sits behind a proxy; without it, the address the current request came to).
 */
@Service
public class PublicLinks {

    /** The header RFC 8058 asks a one-click sender to add beside {@code List-Unsubscribe}. */
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private final LinkTokens tokens;
    private final Environment environment;
    private final @Nullable String publicUrl;

    PublicLinks(LinkTokens tokens, Environment environment, @Value("${optledger.public-url:}") String publicUrl) {
        this.tokens = tokens;
        this.environment = environment;
        this.publicUrl = StringUtils.hasText(publicUrl) ? publicUrl.replaceAll("/+$", "") : null;
    }

    /** A link of {@code kind} for the contact: its URL, and when it stops working. */
    public Link mint(
            long workspaceId,
            long contactId,
            LinkKind kind,
            @Nullable String topic,
            @Nullable Channel channel,
            @Nullable String locale,
            @Nullable Duration lifetime) {
        LinkTokens.Minted minted = tokens.mint(workspaceId, contactId, kind, topic, channel, locale, lifetime);
        return new Link(kind, base() + "/" + kind.path() + "/" + minted.token(), minted.claims());
    }

    /** The configured public address; else the one this request came to; else (a worker's) this node's port. */
    private String base() {
        if (publicUrl != null) {
            return publicUrl;
        }
        if (RequestContextHolder.getRequestAttributes() != null) {
            return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        }
        return "http://localhost:" + environment.getProperty("local.server.port", "8080");
    }

    /** A minted link. */
    public record Link(LinkKind kind, String url, LinkClaims claims) {

        /** {@code List-Unsubscribe} for a message's headers, with this (unsubscribe) link. */
        public String listUnsubscribe() {
            return "<" + url + ">";
        }
    }
}
