package io.optledger.preferences;

import io.optledger.access.RateLimits;
import io.optledger.access.Workspaces;
import io.optledger.consent.Provenance;
import io.optledger.consent.RequestContext;
import io.optledger.platform.Hashing;
import io.optledger.platform.MaskingLogCustomizer;
import io.optledger.platform.RequestIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;

/**
 * What every public page does before its own work: a rate limit per client IP and per link, the link verified, the
 * page's language chosen, cross-site posts refused, and the branding and masked address put in the model.
 */
@Component
class PublicPageSupport {

    private final LinkTokens tokens;
    private final RateLimits limits;
    private final Brandings brandings;
    private final Workspaces workspaces;
    private final int perIp;
    private final int perLink;
    private final @Nullable String publicOrigin;

    PublicPageSupport(
            LinkTokens tokens,
            RateLimits limits,
            Brandings brandings,
            Workspaces workspaces,
            @Value("${optledger.public-pages.requests-per-second-per-ip:50}") int perIp,
            @Value("${optledger.public-pages.requests-per-second-per-link:10}") int perLink,
            @Value("${optledger.public-url:}") String publicUrl) {
        this.tokens = tokens;
        this.limits = limits;
        this.brandings = brandings;
        this.workspaces = workspaces;
        this.perIp = perIp;
        this.perLink = perLink;
        this.publicOrigin = StringUtils.hasText(publicUrl) ? origin(URI.create(publicUrl)) : null;
    }

    /** The link's claims, once the request is within its limits and the token holds; the page's locale chosen. */
    LinkClaims open(HttpServletRequest request, String token, LinkKind kind, Model model) {
        limit("ip:" + request.getRemoteAddr(), perIp);
        limit("link:" + HexFormat.of().formatHex(Hashing.sha256(token)), perLink);
        LinkClaims claims = tokens.verify(token, kind);
        Locale locale = PageLocales.choose(request, claims.locale());
        Branding branding = brandings.of(claims.workspaceId());
        model.addAttribute("lang", locale.toLanguageTag());
        model.addAttribute("branding", branding);
        model.addAttribute(
                "brand",
                branding.displayName() != null
                        ? branding.displayName()
                        : workspaces.get(claims.workspaceId()).name());
        model.addAttribute("token", token);
        return claims;
    }

    /**
     * Refuses a form posted from another site: a browser names the page's origin in {@code Origin}; it must be this
     * service's (its public URL's, or the one the request came to). Mail providers posting a one-click unsubscribe send
     * no Origin, and that page does not ask.
     */
    void sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return;
        }
        String self = request.getScheme() + "://" + request.getServerName()
                + (defaultPort(request) ? "" : ":" + request.getServerPort());
        if (!origin.equalsIgnoreCase(self) && !origin.equalsIgnoreCase(publicOrigin)) {
            throw new PageRefused(HttpStatus.FORBIDDEN, "a form posted from " + origin, 0);
        }
    }

    /** The request, as the ledger keeps it: client IP, user agent and request id; no API key. */
    static RequestContext context(HttpServletRequest request) {
        return new RequestContext(
                request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT), null, RequestIdFilter.of(request));
    }

    /** The provenance of a change made on a page: its source, and the page, its language and what it said. */
    static Provenance provenance(String source, String page, Locale locale, String disclosure) {
        String shown = disclosure.length() > Provenance.MAX_DETAIL
                ? disclosure.substring(0, Provenance.MAX_DETAIL)
                : disclosure;
        return new Provenance(
                source,
                null,
                null,
                null,
                null,
                Map.of("page", page, "locale", locale.toLanguageTag(), "disclosure", shown));
    }

    /** An address as a page shows it: {@code a***@example.com}, {@code +***71}. */
    static String masked(String address) {
        return MaskingLogCustomizer.mask(address);
    }

    private void limit(String who, int perSecond) {
        RateLimits.Decision decision = limits.take(who, "public-pages", perSecond);
        if (!decision.allowed()) {
            throw new PageRefused(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too many requests from " + who,
                    Math.max(1, decision.retryAfterSeconds()));
        }
    }

    private static boolean defaultPort(HttpServletRequest request) {
        return request.getServerPort() == ("https".equals(request.getScheme()) ? 443 : 80);
    }

    private static @Nullable String origin(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            return null;
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
