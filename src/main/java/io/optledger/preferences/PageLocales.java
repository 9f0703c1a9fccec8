package io.optledger.preferences;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The language of the public pages: the link's own locale if it names one the pages speak, else the browser's
 * {@code Accept-Language}, else English (US). The pages speak en-US and fr-CA; any French is fr-CA.
 */
final class PageLocales implements LocaleResolver {

    static final Locale EN_US = Locale.US;
    static final Locale FR_CA = Locale.CANADA_FRENCH;
    private static final String ATTRIBUTE = PageLocales.class.getName();

    /** Fixes the page's locale for this request from the link's locale (null: the browser's). */
    static Locale choose(HttpServletRequest request, @Nullable String linkLocale) {
        Locale locale = linkLocale != null ? supported(Locale.forLanguageTag(linkLocale)) : null;
        if (locale == null) {
            locale = browser(request);
        }
        request.setAttribute(ATTRIBUTE, locale);
        return locale;
    }

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        return current(request);
    }

    /** The locale chosen for this request's page, or the browser's. */
    static Locale current(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Locale chosen ? chosen : browser(request);
    }

    @Override
    public void setLocale(HttpServletRequest request, @Nullable HttpServletResponse response, @Nullable Locale locale) {
        request.setAttribute(ATTRIBUTE, locale);
    }

    private static Locale browser(HttpServletRequest request) {
        String header = request.getHeader("Accept-Language");
        if (header != null) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                    Locale supported = supported(Locale.forLanguageTag(range.getRange()));
                    if (supported != null) {
                        return supported;
                    }
                }
            } catch (IllegalArgumentException e) {
                // a malformed header: the default
            }
        }
        return EN_US;
    }

    private static @Nullable Locale supported(Locale locale) {
        return switch (locale.getLanguage()) {
            case "fr" -> FR_CA;
            case "en" -> EN_US;
            default -> null;
        };
    }

    static List<Locale> all() {
        return List.of(EN_US, FR_CA);
    }
}
