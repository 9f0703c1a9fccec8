package io.optledger.topic;

import io.optledger.platform.Hashing;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.InvalidatedCache;
import io.optledger.platform.Invalidation;
import io.optledger.platform.Invalidations;
import io.optledger.platform.NotFound;
import io.optledger.topic.SignUpUnit.Disclosure;
import io.optledger.topic.SignUpUnit.SubscriptionType;
import io.optledger.topic.SignUpUnit.UnitChannel;
import io.optledger.topic.Topics.TopicDraft;
import io.optledger.topic.internal.JdbcSignUpUnits;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A workspace's sign-up units. Editing a disclosure makes a new version and keeps the old ones, so every opt-in's
 * ledger event can name the exact text it was given. Deleting a unit hides it from resolution; its disclosures stay.
 */
@Service
public class SignUpUnits {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,3}");
    private static final Pattern COUNTRY = Pattern.compile("[a-zA-Z]{2}");
    private static final int MAX_NAME = 200;
    private static final int MAX_DISCLOSURE = 5_000;

    private final JdbcSignUpUnits units;
    private final Topics topics;
    private final Clock clock;
    // every Attentive opt-in resolves a unit: cached per workspace like topics, and invalidated the same way
    private final InvalidatedCache<List<SignUpUnit>> cache;

    SignUpUnits(JdbcSignUpUnits units, Topics topics, Invalidations invalidations, Clock clock) {
        this.units = units;
        this.topics = topics;
        this.cache = new InvalidatedCache<>(invalidations, Invalidation.Kind.SIGN_UP_UNITS);
        this.clock = clock;
    }

    /** A unit to create. */
    public record UnitDraft(
            String name,
            UnitChannel channel,
            SubscriptionType subscriptionType,
            String language,
            String country,
            boolean singleOptInAllowed,
            String disclosure) {}

    /** Changes to a unit; null leaves a field as it is. Channel and subscription type never change. */
    public record UnitPatch(
            @Nullable String name,
            @Nullable String language,
            @Nullable String country,
            @Nullable Boolean singleOptInAllowed,
            @Nullable String disclosure) {}

    @Transactional
    public SignUpUnit create(long workspaceId, UnitDraft draft) {
        Instant now = clock.instant();
        SubscriptionType type = draft.subscriptionType();
        // the marketing and transactional topics exist in every workspace; checkout-abandoned is made on first use
        topics.ensure(
                workspaceId,
                new TopicDraft(
                        type.topic(),
                        type.name().charAt(0)
                                + type.name()
                                        .substring(1)
                                        .toLowerCase(Locale.ROOT)
                                        .replace('_', ' '),
                        type.kind(),
                        type == SubscriptionType.TRANSACTIONAL,
                        false,
                        Set.of()));
        SignUpUnit unit = new SignUpUnit(
                "su_" + HexFormat.of().formatHex(randomBytes()),
                name(draft.name()),
                draft.channel(),
                type,
                language(draft.language()),
                country(draft.country()),
                draft.singleOptInAllowed(),
                disclosure(1, draft.disclosure()),
                now,
                now);
        units.insert(workspaceId, unit);
        changed(workspaceId);
        return unit;
    }

    @Transactional
    public SignUpUnit update(long workspaceId, String id, UnitPatch patch) {
        // read under the row's lock, not from the cache: concurrent edits each make their own disclosure version
        SignUpUnit current =
                units.lock(workspaceId, id).orElseThrow(() -> new NotFound("no sign-up unit '" + id + "'"));
        boolean newDisclosure = patch.disclosure() != null
                && !patch.disclosure().equals(current.disclosure().text());
        SignUpUnit updated = new SignUpUnit(
                id,
                patch.name() == null ? current.name() : name(patch.name()),
                current.channel(),
                current.subscriptionType(),
                patch.language() == null ? current.language() : language(patch.language()),
                patch.country() == null ? current.country() : country(patch.country()),
                patch.singleOptInAllowed() == null ? current.singleOptInAllowed() : patch.singleOptInAllowed(),
                newDisclosure
                        ? disclosure(current.disclosure().version() + 1, patch.disclosure())
                        : current.disclosure(),
                current.createdAt(),
                clock.instant());
        if (!units.update(workspaceId, updated, newDisclosure)) {
            throw new NotFound("no sign-up unit '" + id + "'");
        }
        changed(workspaceId);
        return updated;
    }

    @Transactional
    public void delete(long workspaceId, String id) {
        if (!units.delete(workspaceId, id, clock.instant())) {
            throw new NotFound("no sign-up unit '" + id + "'");
        }
        changed(workspaceId);
    }

    public SignUpUnit get(long workspaceId, String id) {
        return list(workspaceId).stream()
                .filter(unit -> unit.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new NotFound("no sign-up unit '" + id + "'"));
    }

    /** The workspace's units (retired ones excluded); cached while {@link InvalidatedCache}. */
    public List<SignUpUnit> list(long workspaceId) {
        return cache.get(workspaceId, "", () -> units.findAll(workspaceId));
    }

    private void changed(long workspaceId) {
        cache.changed(workspaceId, "");
    }

    /** Every version of a unit's disclosure, oldest first: what each opt-in was shown. */
    public List<Disclosure> disclosures(long workspaceId, String id) {
        get(workspaceId, id);
        return units.disclosures(workspaceId, id);
    }

    /** The units for a locale and subscription type, any channel. */
    public List<SignUpUnit> matching(long workspaceId, String language, String country, SubscriptionType type) {
        return list(workspaceId).stream()
                .filter(unit -> unit.language().equalsIgnoreCase(language)
                        && unit.country().equalsIgnoreCase(country)
                        && unit.subscriptionType() == type)
                .toList();
    }

    private static Disclosure disclosure(int version, String text) {
        if (text.isBlank() || text.length() > MAX_DISCLOSURE) {
            throw new InvalidInput("disclosure", "a disclosure is 1 to " + MAX_DISCLOSURE + " characters");
        }
        return new Disclosure(version, text, HexFormat.of().formatHex(Hashing.sha256(text)));
    }

    private static String name(String name) {
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new InvalidInput("name", "a name is 1 to " + MAX_NAME + " characters");
        }
        return name.strip();
    }

    private static String language(String language) {
        if (!LANGUAGE.matcher(language).matches()) {
            throw new InvalidInput("locale.language", "'" + language + "' is not an ISO 639 language code such as en");
        }
        return language.toLowerCase(Locale.ROOT);
    }

    private static String country(String country) {
        if (!COUNTRY.matcher(country).matches()) {
            throw new InvalidInput("locale.country", "'" + country + "' is not an ISO 3166 country code such as US");
        }
        return country.toUpperCase(Locale.ROOT);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
