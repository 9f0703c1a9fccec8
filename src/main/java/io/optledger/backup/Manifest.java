package io.optledger.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a backup holds, as {@code manifest.json} in its folder: where and when it was taken, the PostgreSQL version and
 * WAL range, every folder, and every file with its size and SHA-256. Written last, so a backup without one never
 * finished. It proves the backup is whole, not who wrote it: keep backups where only their owner can write.
 */
record Manifest(
        int format,
        Instant createdAt,
        String dataFolder,
        String label,
        String postgresVersion,
        String systemIdentifier,
        String startLsn,
        String stopLsn,
        List<String> folders,
        List<Entry> files) {

    static final int FORMAT = 1;
    static final String FILE = "manifest.json";

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** One file, by its path in the backup (which is its path in the data folder). */
    record Entry(String path, long size, String sha256) {}

    Manifest {
        folders = List.copyOf(folders);
        files = List.copyOf(files);
    }

    long bytes() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    void write(Path backup) throws IOException {
        Path partial = backup.resolve(FILE + ".partial");
        OwnerOnlyFiles.write(JSON.writeValueAsBytes(this), partial);
        OwnerOnlyFiles.sync(partial);
        Files.move(partial, backup.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        OwnerOnlyFiles.sync(backup);
    }

    static Manifest read(Path backup) throws IOException, Refused {
        Manifest manifest;
        try {
            manifest = JSON.readValue(Files.readAllBytes(backup.resolve(FILE)), Manifest.class);
        } catch (NoSuchFileException e) {
            throw new Refused(backup + " holds no " + FILE + ": it is no backup, or one that never finished");
        } catch (JacksonException e) {
            throw new Refused(backup.resolve(FILE) + " cannot be read: " + e.getOriginalMessage());
        }
        if (manifest.format() != FORMAT) {
            throw new Refused(
                    backup.resolve(FILE) + " has format " + manifest.format() + "; this version reads " + FORMAT);
        }
        for (String path : manifest.folders()) {
            inside(backup, path);
        }
        for (Entry entry : manifest.files()) {
            inside(backup, entry.path());
        }
        return manifest;
    }

    /** Every file present with its size and SHA-256; the first that is not is named. */
    void verify(Path backup) throws IOException, Refused {
        for (Entry entry : files) {
            OwnerOnlyFiles.Digest digest;
            try {
                digest = OwnerOnlyFiles.digest(backup.resolve(entry.path()));
            } catch (NoSuchFileException e) {
                throw new Refused("the backup is damaged: " + entry.path() + " is missing");
            }
            check(entry, digest);
        }
    }

    static void check(Entry entry, OwnerOnlyFiles.Digest digest) throws Refused {
        if (digest.size() != entry.size()) {
            throw new Refused("the backup is damaged: " + entry.path() + " has " + digest.size()
                    + " bytes, the manifest says " + entry.size());
        }
        if (!digest.sha256().equals(entry.sha256())) {
            throw new Refused("the backup is damaged: " + entry.path() + " does not match its SHA-256 in the manifest");
        }
    }

    /** A path the manifest names must stay inside the backup, whoever edited the manifest. */
    private static void inside(Path backup, String path) throws Refused {
        Path resolved = backup.resolve(path).normalize();
        if (path.isEmpty()
                || Path.of(path).isAbsolute()
                || !resolved.startsWith(backup.normalize())
                || resolved.equals(backup.normalize())
                || path.equals(FILE)) {
            throw new Refused(backup.resolve(FILE) + " names a path outside the backup: " + path);
        }
    }
}
