package io.optledger.preferences;

import io.optledger.platform.Conflict;
import io.optledger.platform.NotFound;
import io.optledger.platform.Settings;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The workspaces' link-signing keys, kept as settings: cached on every node and current everywhere as soon as a
 * rotation or retirement commits. A workspace's first key is made when its first link is minted.
 */
@Service
public class LinkKeys {

    private static final String NAMESPACE = "links.keys";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final Clock clock;

    LinkKeys(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The key that signs new links: the newest not retired, made if there is none. */
    public LinkKey signing(long workspaceId) {
        return all(workspaceId).stream()
                .filter(key -> !key.retired())
                .max(Comparator.comparing(LinkKey::createdAt).thenComparing(LinkKey::id))
                .orElseGet(() -> rotate(workspaceId));
    }

    /** A key that may verify a link: one of this workspace's, not retired. */
    public Optional<LinkKey> verifying(long workspaceId, String keyId) {
        return settings.get(workspaceId, NAMESPACE, keyId, LinkKey.class).filter(key -> !key.retired());
    }

    public List<LinkKey> all(long workspaceId) {
        return settings.all(workspaceId, NAMESPACE, LinkKey.class).values().stream()
                .sorted(Comparator.comparing(LinkKey::createdAt).thenComparing(LinkKey::id))
                .toList();
    }

    /** Makes a new signing key; the older ones keep verifying until retired. */
    public LinkKey rotate(long workspaceId) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        LinkKey key = new LinkKey("lk_" + HexFormat.of().formatHex(id), secret, clock.instant(), null);
        settings.put(workspaceId, NAMESPACE, key.id(), key);
        return key;
    }

    /** Retires a key: links it signed stop opening. The signing key cannot be retired before another is made. */
    public LinkKey retire(long workspaceId, String keyId) {
        LinkKey key = settings.get(workspaceId, NAMESPACE, keyId, LinkKey.class)
                .orElseThrow(() -> new NotFound("no link key '" + keyId + "' in this workspace"));
        if (key.retired()) {
            return key;
        }
        if (signing(workspaceId).id().equals(keyId)) {
            throw new Conflict("this key signs new links: rotate first, then retire it");
        }
        LinkKey retired = new LinkKey(key.id(), key.secret(), key.createdAt(), clock.instant());
        settings.put(workspaceId, NAMESPACE, keyId, retired);
        return retired;
    }
}
