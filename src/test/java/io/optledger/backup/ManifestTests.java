package io.optledger.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup's manifest names every file with its size and SHA-256, and a damaged or edited backup is refused. */
class ManifestTests {

    @TempDir
    Path dir;

    Path backup;

    @BeforeEach
    void backUpAFolder() throws Exception {
        Path source = dir.resolve("source");
        Files.createDirectories(source.resolve("base/5"));
        Files.write(source.resolve("base/5/1259"), new byte[20_000]);
        Files.writeString(source.resolve("PG_VERSION"), "18\n");
        backup = dir.resolve("backup");
        TreeCopy copy = new TreeCopy(backup);
        copy.tree(source, "postgres", TreeCopy.Selection.EVERYTHING, false);
        copy.content("secret\n", "secrets/postgres.password");
        copy.sync();
        manifest(copy.folders(), copy.files()).write(backup);
    }

    @Test
    void aWholeBackupVerifiesAndIsOwnerOnly() throws Exception {
        Manifest manifest = Manifest.read(backup);

        manifest.verify(backup);

        assertThat(manifest.files())
                .extracting(Manifest.Entry::path)
                .containsExactlyInAnyOrder("postgres/base/5/1259", "postgres/PG_VERSION", "secrets/postgres.password");
        assertThat(manifest.bytes()).isEqualTo(20_000 + 3 + 7);
        assertThat(Files.getPosixFilePermissions(backup.resolve("postgres/base/5/1259")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(backup.resolve("postgres/base")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(backup.resolve(Manifest.FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aFlippedByteIsFoundAndTheFileNamed() throws Exception {
        Path file = backup.resolve("postgres/base/5/1259");
        byte[] bytes = Files.readAllBytes(file);
        bytes[12_345] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> Manifest.read(backup).verify(backup))
                .isInstanceOf(Refused.class)
                .hasMessage("the backup is damaged: postgres/base/5/1259 does not match its SHA-256 in the manifest");
    }

    @Test
    void aTruncatedOrMissingFileIsFound() throws Exception {
        Files.write(backup.resolve("postgres/base/5/1259"), new byte[8_192]);
        assertThatThrownBy(() -> Manifest.read(backup).verify(backup))
                .hasMessage("the backup is damaged: postgres/base/5/1259 has 8192 bytes, the manifest says 20000");

        Files.delete(backup.resolve("secrets/postgres.password"));
        Files.write(backup.resolve("postgres/base/5/1259"), new byte[20_000]);
        assertThatThrownBy(() -> Manifest.read(backup).verify(backup))
                .hasMessage("the backup is damaged: secrets/postgres.password is missing");
    }

    @Test
    void aManifestNamingAPathOutsideTheBackupIsRefused() throws Exception {
        manifest(List.of(), List.of(new Manifest.Entry("postgres/../../etc/passwd", 1, "00")))
                .write(backup);

        assertThatThrownBy(() -> Manifest.read(backup))
                .isInstanceOf(Refused.class)
                .hasMessageContaining("names a path outside the backup: postgres/../../etc/passwd");
    }

    @Test
    void aFolderWithoutAManifestIsNoBackup() {
        assertThatThrownBy(() -> Manifest.read(dir.resolve("source")))
                .isInstanceOf(Refused.class)
                .hasMessageEndingWith("holds no manifest.json: it is no backup, or one that never finished");
    }

    private static Manifest manifest(List<String> folders, List<Manifest.Entry> files) {
        return new Manifest(
                Manifest.FORMAT,
                Instant.parse("2026-12-04T10:00:00Z"),
                "/srv/optledger/data",
                "optledger 2026-12-04T10:00:00Z",
                "18.2",
                "7715308114083362557",
                "0/03000028",
                "0/03000120",
                folders,
                files);
    }
}
