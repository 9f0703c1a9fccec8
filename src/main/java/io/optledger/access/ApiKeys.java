package io.optledger.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.optledger.access.internal.JdbcApiKeys;
import io.optledger.platform.CacheGeneration;
import io.optledger.platform.Hashing;
import io.optledger.platform.InvalidInput;
import io.optledger.platform.NotFound;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/** Issues, lists, revokes and authenticates API keys. */
@Service
public class ApiKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    /**
     * How long a node may keep trusting a key it has already checked. Revocation shows on the revoking node at once
     * and on the others within this time.
     */
    static final Duration AUTH_CACHE_TTL = Duration.ofSeconds(1);

    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

    private final JdbcApiKeys keys;
    /** A revocation here drops checks in flight too, not only those cached. */
    private final CacheGeneration generation = new CacheGeneration();

    private final Clock clock;
    private final Cache<String, Optional<Caller>> authenticated = Caffeine.newBuilder()
            .expireAfterWrite(AUTH_CACHE_TTL)
            .maximumSize(10_000)
            .build();
    /** By MD5 password, apart from full keys, which could look like an MD5. */
    private final Cache<String, Optional<Caller>> authenticatedByMd5 = Caffeine.newBuilder()
            .expireAfterWrite(AUTH_CACHE_TTL)
            .maximumSize(10_000)
            .build();

    ApiKeys(JdbcApiKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public IssuedApiKey issue(long workspaceId, String name, Set<Scope> scopes) {
        return issue(workspaceId, name, scopes, "olk_" + HEX.formatHex(randomBytes(32)));
    }

    /** Issues a key whose secret the operator chose (the bootstrap key). */
    public IssuedApiKey issue(long workspaceId, String name, Set<Scope> scopes, String secret) {
        if (scopes.isEmpty()) {
            throw new InvalidInput("scopes", "a key needs at least one scope");
        }
        if (secret.length() < 16) {
            throw new InvalidInput("key", "an API key must be at least 16 characters");
        }
        ApiKey key = new ApiKey("key_" + HEX.formatHex(randomBytes(8)), workspaceId, name, scopes, now(), null);
        keys.insert(key, Hashing.sha256(secret), md5Hash(secret));
        return new IssuedApiKey(key, secret);
    }

    public List<ApiKey> list(long workspaceId) {
        return keys.findByWorkspace(workspaceId);
    }

    public void revoke(long workspaceId, String keyId) {
        if (!keys.revoke(workspaceId, keyId, now())) {
            throw new NotFound("no API key '" + keyId + "' in this workspace");
        }
        generation.bumpAll();
        authenticated.invalidateAll();
        authenticatedByMd5.invalidateAll();
    }

    /**
     * The caller a presented secret stands for, if it names an active key. Cached by the secret itself, which this
     * process holds while the request lasts anyway, so a cached check costs no hashing. Concurrent checks of one
     * secret each look it up rather than wait for one another's lookup: with the database down, each caller gets its
     * 503 at once instead of queueing behind the connection wait of the one before.
     */
    public Optional<Caller> authenticate(String secret) {
        return cached(authenticated, secret, this::lookUp);
    }

    private Optional<Caller> lookUp(String secret) {
        return keys.findActiveBySecretHash(Hashing.sha256(secret)).map(found -> {
            ApiKey key = found.getKey();
            if (!found.getValue()) {
                keys.setMd5HashIfMissing(key.workspaceId(), key.id(), md5Hash(secret));
                // a refused attempt with the MD5 may be cached from before it was known
                authenticatedByMd5.invalidate(Hashing.md5Hex(secret));
            }
            return caller(key);
        });
    }

    private Optional<Caller> cached(
            Cache<String, Optional<Caller>> cache, String presented, Function<String, Optional<Caller>> lookUp) {
        Optional<Caller> known = cache.getIfPresent(presented);
        if (known != null) {
            return known;
        }
        long seen = generation.current(presented);
        Optional<Caller> found = lookUp.apply(presented);
        generation.putIfCurrent(cache, presented, found, seen);
        return found;
    }

    /**
     * The caller a password stands for, where the password is either the key itself or the lowercase hex MD5 of it
     * (Capillary's clients send {@code md5(key)}). The MD5 form works for keys issued, or used in full once, since
     * version 7 of the schema.
     */
    public Optional<Caller> authenticateKeyOrMd5(String password) {
        Optional<Caller> caller = authenticate(password);
        if (caller.isPresent() || !MD5_HEX.matcher(password).matches()) {
            return caller;
        }
        return cached(
                authenticatedByMd5,
                password,
                presented -> keys.findActiveByMd5Hash(Hashing.sha256(presented)).map(ApiKeys::caller));
    }

    private static Caller caller(ApiKey key) {
        return new Caller(key.workspaceId(), key.id(), key.scopes());
    }

    private static byte[] md5Hash(String secret) {
        return Hashing.sha256(Hashing.md5Hex(secret));
    }

    private Instant now() {
        return clock.instant();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
