package io.optledger.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Copies into a backup folder, owner-only, recording every folder and every file with its size and SHA-256 for the
 * manifest. Paths in the backup mirror the data folder ({@code postgres/base/5/1259}, {@code secrets/...}).
 */
final class TreeCopy {

    /** Which folders and files of a tree to take, by their path relative to the tree's root. */
    interface Selection {

        Selection EVERYTHING = new Selection() {};

        default boolean takesFolder(Path relative) {
            return true;
        }

        default boolean takesFile(Path relative) {
            return true;
        }
    }

    private final Path backup;
    private final List<String> folders = new ArrayList<>();
    private final List<Manifest.Entry> files = new ArrayList<>();

    TreeCopy(Path backup) {
        this.backup = backup;
    }

    /**
     * Copies the tree's selected folders and regular files to {@code as}. A file that vanishes meanwhile is left out:
     * in the database's folder, a table dropped during the backup, which the WAL replays.
     */
    void tree(Path from, String as, Selection selection, boolean followLinks) throws IOException {
        Set<FileVisitOption> options = followLinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : Set.of();
        Files.walkFileTree(from, options, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Path relative = from.relativize(dir);
                if (!relative.toString().isEmpty() && !selection.takesFolder(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                folder(join(as, relative));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path relative = from.relativize(file);
                if (attributes.isRegularFile() && selection.takesFile(relative)) {
                    try {
                        file(file, join(as, relative));
                    } catch (NoSuchFileException e) {
                        // gone since the folder was listed
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }
        });
    }

    void folder(String path) throws IOException {
        OwnerOnlyFiles.folder(backup.resolve(path));
        folders.add(path);
    }

    void file(Path from, String as) throws IOException {
        record(as, OwnerOnlyFiles.copy(from, target(as)));
    }

    void content(String text, String as) throws IOException {
        content(text.getBytes(StandardCharsets.UTF_8), as);
    }

    void content(byte[] content, String as) throws IOException {
        record(as, OwnerOnlyFiles.write(content, target(as)));
    }

    /**
     * A small file the server may rewrite while it is read (pg_control), copied once two reads in a row agree, so the
     * copy is never a torn mix of two versions.
     */
    void settled(Path from, String as) throws IOException {
        byte[] last = Files.readAllBytes(from);
        for (int attempt = 0; attempt < 100; attempt++) {
            byte[] again = Files.readAllBytes(from);
            if (Arrays.equals(last, again)) {
                content(again, as);
                return;
            }
            last = again;
        }
        throw new IOException(from + " kept changing while it was read");
    }

    /** Flushes everything copied so far to disk. */
    void sync() throws IOException {
        List<Path> written = new ArrayList<>();
        files.forEach(file -> written.add(backup.resolve(file.path())));
        folders.forEach(folder -> written.add(backup.resolve(folder)));
        written.add(backup);
        OwnerOnlyFiles.sync(written);
    }

    List<String> folders() {
        return List.copyOf(folders);
    }

    List<Manifest.Entry> files() {
        return List.copyOf(files);
    }

    private Path target(String as) throws IOException {
        Path target = backup.resolve(as);
        Path parent = target.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            OwnerOnlyFiles.folder(parent);
        }
        return target;
    }

    private void record(String as, OwnerOnlyFiles.Digest digest) {
        files.add(new Manifest.Entry(as, digest.size(), digest.sha256()));
    }

    private static String join(String as, @Nullable Path relative) {
        if (relative == null || relative.toString().isEmpty()) {
            return as;
        }
        StringBuilder path = new StringBuilder(as);
        relative.forEach(name -> path.append('/').append(name));
        return path.toString();
    }
}
