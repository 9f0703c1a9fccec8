package io.optledger.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The WAL segment files a stretch of the log lies in, named as PostgreSQL names them: timeline, then segment number. */
final class WalSegments {

    private static final Pattern TIMELINE = Pattern.compile("^START TIMELINE: (\\d+)$", Pattern.MULTILINE);

    private WalSegments() {}

    /** The segments holding every byte from {@code start} up to, not including, {@code end}. */
    static List<String> between(long timeline, Lsn start, Lsn end, long segmentSize) {
        long segmentsPerId = 0x1_0000_0000L / segmentSize;
        List<String> names = new ArrayList<>();
        for (long segment = start.value() / segmentSize; segment <= (end.value() - 1) / segmentSize; segment++) {
            names.add(String.format("%08X%08X%08X", timeline, segment / segmentsPerId, segment % segmentsPerId));
        }
        return names;
    }

    /** The timeline a backup started on, from the backup_label that pg_backup_stop answers. */
    static long timeline(String backupLabel) {
        Matcher line = TIMELINE.matcher(backupLabel);
        if (!line.find()) {
            throw new IllegalStateException("the backup label names no timeline:\n" + backupLabel);
        }
        return Long.parseLong(line.group(1));
    }
}
