package io.optledger.platform;

import io.optledger.platform.SigningKeys.PublicSigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The public keys of the key folder as last read: each workspace's, and every workspace's at most 10 s old. */
final class PublishedKeys {

    private final Path folder;
    private final Map<Long, List<PublicSigningKey>> published = new ConcurrentHashMap<>();
    private volatile @Nullable Listing listing;

    /** What {@link #all()} last read, and when: the list is public, so a flood of requests reads the folder once. */
    private record Listing(List<PublicSigningKey> keys, long readAtNanos) {}

    private static final long LISTING_TTL_NANOS =
            java.time.Duration.ofSeconds(10).toNanos();

    PublishedKeys(Path folder) {
        this.folder = folder;
    }

    /** The workspace's keys are read from the folder again on next need, and so is the list of all. */
    void forget(long workspaceId) {
        published.remove(workspaceId);
        listing = null;
    }

    /** The workspace's key with this id, active or retired, as the key folder holds it now. */
    Optional<PublicSigningKey> find(long workspaceId, String keyId) {
        Optional<PublicSigningKey> known = publicKeys(workspaceId).stream()
                .filter(k -> k.keyId().equals(keyId))
                .findFirst();
        if (known.isPresent()) {
            return known;
        }
        // another node sharing the folder may have written it since: read the folder again
        published.remove(workspaceId);
        return publicKeys(workspaceId).stream()
                .filter(k -> k.keyId().equals(keyId))
                .findFirst();
    }

    /** Every public key in the folder, of every workspace, active first within a workspace; at most 10 s old. */
    List<PublicSigningKey> all() {
        Listing last = listing;
        if (last != null && System.nanoTime() - last.readAtNanos() < LISTING_TTL_NANOS) {
            return last.keys();
        }
        List<PublicSigningKey> keys = readAll();
        listing = new Listing(keys, System.nanoTime());
        return keys;
    }

    private List<PublicSigningKey> readAll() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<PublicSigningKey> keys = new ArrayList<>();
        try (Stream<Path> workspaces = Files.list(folder)) {
            workspaces
                    .filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("[1-9][0-9]{0,18}"))
                    .map(Long::parseLong)
                    .sorted()
                    .forEach(workspace -> {
                        published.remove(workspace);
                        keys.addAll(publicKeys(workspace));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(keys);
    }

    private List<PublicSigningKey> publicKeys(long workspaceId) {
        return published.computeIfAbsent(workspaceId, this::read);
    }

    private List<PublicSigningKey> read(long workspaceId) {
        Path dir = KeyFiles.workspaceFolder(folder, workspaceId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pem"))
                    .sorted(Comparator.comparing(
                                    (Path f) -> !f.getFileName().toString().equals(KeyFiles.ACTIVE))
                            .thenComparing(Path::toString))
                    .flatMap(f -> KeyFiles.readPublicOrSkip(workspaceId, f).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
