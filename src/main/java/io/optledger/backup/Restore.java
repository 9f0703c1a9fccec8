package io.optledger.backup;

import io.optledger.platform.EmbeddedDataFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Puts a backup in place as a data folder: checked against its manifest first (nothing is written on a mismatch), then
 * copied owner-only into a staging folder beside the data and moved into place. At the service's next start PostgreSQL
 * replays the backup's WAL from its backup_label, as it starts from pg_basebackup's output, and the service connects
 * with the passwords the backup holds.
 */
final class Restore {

    private static final String STAGING = ".restoring";

    private Restore() {}

    static Manifest into(Path backup, EmbeddedDataFolder folder) throws IOException, Refused {
        Manifest manifest = Manifest.read(backup);
        Path root = folder.root();
        if (folder.runningServerPort().isPresent()) {
            throw new Refused("a PostgreSQL server is running on " + folder.postgres() + ": stop the service first");
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new Refused(root + " is not a folder");
        }
        Optional<Path> occupied = firstFile(root);
        if (occupied.isPresent()) {
            throw new Refused(root + " already holds " + root.relativize(occupied.get())
                    + ": restore into a new or empty data folder");
        }
        manifest.verify(backup);
        if (!Files.exists(root)) {
            OwnerOnlyFiles.folder(root);
        }
        Path staging = root.resolve(STAGING);
        OwnerOnlyFiles.delete(staging);
        try {
            for (String path : manifest.folders()) {
                OwnerOnlyFiles.folder(staging.resolve(path));
            }
            for (Manifest.Entry entry : manifest.files()) {
                Path to = staging.resolve(entry.path());
                if (!Files.isDirectory(to.getParent())) {
                    OwnerOnlyFiles.folder(to.getParent());
                }
                // checked again as copied: the backup may have changed since it was verified
                Manifest.check(entry, OwnerOnlyFiles.copy(backup.resolve(entry.path()), to));
            }
            List<Path> written = new ArrayList<>();
            manifest.folders().forEach(path -> written.add(staging.resolve(path)));
            manifest.files().forEach(entry -> written.add(staging.resolve(entry.path())));
            OwnerOnlyFiles.sync(written);
            for (Path entry : list(staging)) {
                Path destination = root.resolve(entry.getFileName());
                // only empty folders can be there (no file was): replaced whole
                OwnerOnlyFiles.delete(destination);
                Files.move(entry, destination, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.delete(staging);
            OwnerOnlyFiles.sync(root);
        } catch (IOException | Refused | RuntimeException e) {
            try {
                OwnerOnlyFiles.delete(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return manifest;
    }

    private static Optional<Path> firstFile(Path root) throws IOException {
        if (!Files.exists(root)) {
            return Optional.empty();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> !Files.isDirectory(path)).sorted().findFirst();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
