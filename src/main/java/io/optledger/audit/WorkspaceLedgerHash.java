package io.optledger.audit;

import io.optledger.platform.CanonicalLines;
import io.optledger.platform.Hashing;
import java.util.HexFormat;

/** The canonical form of a workspace ledger event and its chain hash (docs/ledger.md, "The workspace ledger"). */
public final class WorkspaceLedgerHash {

    /** The previous hash of a workspace's first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final String VERSION = "optledger-workspace-ledger-v1";
    private static final HexFormat HEX = HexFormat.of();

    private WorkspaceLedgerHash() {}

    public static String of(WorkspaceEvent event) {
        return HEX.formatHex(Hashing.sha256(canonical(event)));
    }

    public static String canonical(WorkspaceEvent e) {
        return new CanonicalLines(VERSION)
                .line("workspace", Long.toString(e.workspaceId()))
                .line("seq", Long.toString(e.seq()))
                .line("kind", e.kind().name())
                .line("subject", e.subject())
                .line("before", e.before())
                .line("after", e.after())
                .line("recordedAt", e.recordedAt())
                .line("source", e.source())
                .line("reason", e.reason())
                .line("apiKeyId", e.apiKeyId())
                .line("requestId", e.requestId())
                .line("ip", e.ip())
                .line("userAgent", e.userAgent())
                .line("prev", e.prevHash())
                .toString();
    }
}
