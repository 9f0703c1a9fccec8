package io.optledger.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * PostgreSQL's {@code postmaster.pid} in a data directory, as written when it was read: line 1 the server's pid, line 2
 * its data directory, line 4 its port. The server writes it line by line as it starts, so later lines may be missing.
 */
record PostmasterPidFile(Path path, List<String> lines) {

    static Path of(Path pgData) {
        return pgData.resolve("postmaster.pid");
    }

    /** The pid file of the data directory, if there is one. */
    static Optional<PostmasterPidFile> read(Path pgData) throws IOException {
        Path path = of(pgData);
        try {
            return Optional.of(new PostmasterPidFile(path, Files.readAllLines(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The pid of a running server's file, which must name one. */
    static long pidOf(Path pgData) throws IOException {
        return read(pgData)
                .flatMap(file -> {
                    OptionalLong pid = file.pid();
                    return pid.isPresent() ? Optional.of(pid.getAsLong()) : Optional.empty();
                })
                .orElseThrow(() -> new IOException("PostgreSQL's postmaster.pid in " + pgData + " names no process"));
    }

    OptionalLong pid() {
        try {
            return lines.isEmpty()
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.getFirst().strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    Optional<Path> dataDirectory() {
        return lines.size() > 1 ? Optional.of(Path.of(lines.get(1).strip())) : Optional.empty();
    }

    OptionalInt port() {
        try {
            return lines.size() > 3
                    ? OptionalInt.of(Integer.parseInt(lines.get(3).strip()))
                    : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
