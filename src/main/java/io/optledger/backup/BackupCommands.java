package io.optledger.backup;

import io.optledger.platform.EmbeddedDataFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The {@code backup <dir>} and {@code restore <dir>} commands of the embedded mode, run instead of the service when
 * one is the first argument: plain Java, no application context. Each prints one line and exits 0 when done, 1 when
 * refused or failed, 2 on bad usage. See docs/operations.md#backup-and-restore-of-the-embedded-database.
 */
public final class BackupCommands {

    private static final String USAGE =
            "usage: optledger (backup | restore) <dir> [--optledger.data-dir=<path>, default ./data]";

    /** The settings a command reads, as the service reads them: these options, Java properties, the environment. */
    private static final Set<String> OPTIONS = Set.of("optledger.data-dir", "optledger.ledger.keys.folder");

    private BackupCommands() {}

    public static boolean isCommand(String[] args) {
        return args.length > 0 && (args[0].equals("backup") || args[0].equals("restore"));
    }

    /** Runs the command the arguments name; answers the exit code. */
    public static int run(String[] args) {
        return run(args, System.out, System.err, Clock.systemUTC());
    }

    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        DefaultApplicationArguments arguments = new DefaultApplicationArguments(rest);
        List<String> positional = arguments.getNonOptionArgs();
        Set<String> unknown = new TreeSet<>(arguments.getOptionNames());
        unknown.removeAll(OPTIONS);
        if (positional.size() != 1 || !unknown.isEmpty()) {
            err.println(command + ": "
                    + (unknown.isEmpty()
                            ? "name one folder"
                            : "unknown option --" + unknown.iterator().next())
                    + "; " + USAGE);
            return 2;
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(rest));
        EmbeddedDataFolder folder =
                new EmbeddedDataFolder(Path.of(environment.getProperty("optledger.data-dir", "./data")));
        Path dir = Path.of(positional.getFirst()).toAbsolutePath().normalize();
        long started = System.nanoTime();
        try {
            if (command.equals("backup")) {
                Manifest manifest = OnlineBackup.take(folder, dir, clock);
                out.printf(
                        "Backed up %s into %s while it ran: %,d files, %s, WAL %s to %s, in %s%n",
                        folder.root(),
                        dir,
                        manifest.files().size(),
                        megabytes(manifest.bytes()),
                        manifest.startLsn(),
                        manifest.stopLsn(),
                        seconds(started));
                keysElsewhere(environment, folder, err);
            } else {
                Manifest manifest = Restore.into(dir, folder);
                out.printf(
                        "Restored %s (taken %s, PostgreSQL %s) into %s: %,d files, %s, verified, in %s; the service's"
                                + " next start there replays the WAL to %s%n",
                        dir,
                        manifest.createdAt(),
                        manifest.postgresVersion(),
                        folder.root(),
                        manifest.files().size(),
                        megabytes(manifest.bytes()),
                        seconds(started),
                        manifest.stopLsn());
            }
            return 0;
        } catch (Refused e) {
            err.println(command + " refused: " + e.getMessage());
            return 1;
        } catch (IOException | SQLException | RuntimeException e) {
            err.println(command + " failed: " + e);
            return 1;
        }
    }

    /** Keys kept outside the data folder are not in its backup: say so every time. */
    private static void keysElsewhere(StandardEnvironment environment, EmbeddedDataFolder folder, PrintStream err) {
        String keys = environment.getProperty(
                "optledger.ledger.keys.folder", environment.getProperty("OPTLEDGER_KEYS_DIR", ""));
        if (!keys.isBlank() && !Path.of(keys).toAbsolutePath().normalize().startsWith(folder.root())) {
            err.println("note: the ledger signing keys are kept in " + keys
                    + ", outside the data folder, so not in this backup: back that folder up too");
        }
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1_000_000.0);
    }

    private static String seconds(long startedNanos) {
        return String.format(
                "%.1f s", Duration.ofNanos(System.nanoTime() - startedNanos).toMillis() / 1000.0);
    }
}
