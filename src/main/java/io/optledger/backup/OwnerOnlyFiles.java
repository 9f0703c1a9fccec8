package io.optledger.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Files written for their owner alone (folders 0700, files 0600: they hold the database, its passwords and the signing
 * keys), hashed as they are written or read, and flushed to disk together once all are written.
 */
final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private static final int BUFFER = 256 * 1024;
    private static final int FLUSHERS = 16;

    /** A file's size and its SHA-256 in lowercase hex. */
    record Digest(long size, String sha256) {}

    private OwnerOnlyFiles() {}

    /** The folder, and any missing parents, made 0700. */
    static void folder(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(FOLDER));
        Files.setPosixFilePermissions(dir, FOLDER);
    }

    /** Copies a file to a new one; answers what was written, which is what was read even if the source changed. */
    static Digest copy(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from)) {
            return write(in, to);
        }
    }

    static Digest write(byte[] content, Path to) throws IOException {
        return write(new ByteArrayInputStream(content), to);
    }

    static Digest digest(Path file) throws IOException {
        return write(Files.newInputStream(file), null);
    }

    /** Flushes a file's contents, or a folder's entries (its new files, renames), to disk. */
    static void sync(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Flushes files and folders to disk, many at once: the file system commits concurrent flushes together, so a
     * thousand small files take a fraction of a second instead of seconds one by one.
     */
    static void sync(Collection<Path> paths) throws IOException {
        ExecutorService flushers = Executors.newFixedThreadPool(FLUSHERS);
        try {
            List<Future<?>> flushes = new ArrayList<>();
            for (Path path : paths) {
                flushes.add(flushers.submit(() -> {
                    sync(path);
                    return null;
                }));
            }
            for (Future<?> flush : flushes) {
                flush.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing to disk", e);
        } finally {
            flushers.shutdownNow();
        }
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, @Nullable IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(folder);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Reads the stream to its end, into a new owner-only file unless {@code to} is null. */
    private static Digest write(InputStream in, @Nullable Path to) throws IOException {
        MessageDigest sha = sha256();
        long size = 0;
        try (in;
                FileChannel out = to == null
                        ? null
                        : FileChannel.open(
                                to,
                                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                                PosixFilePermissions.asFileAttribute(FILE))) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
                size += n;
                if (out != null) {
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
            }
        }
        if (to != null) {
            Files.setPosixFilePermissions(to, FILE);
        }
        return new Digest(size, HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
