package io.optledger.consent.ledger;

import io.optledger.consent.internal.JdbcCheckpoints;
import io.optledger.consent.internal.JdbcCheckpoints.Range;
import io.optledger.consent.internal.JdbcCheckpoints.Unchecked;
import io.optledger.consent.ledger.CheckpointBatch.Queued;
import io.optledger.platform.SigningKeys;
import io.optledger.platform.SigningKeys.PublicSigningKey;
import io.optledger.platform.SigningKeys.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs checkpoints of every workspace's ledger and proves them. A checkpoint holds, for every contact whose chain
 * grew since it was last checkpointed, the hashes of its new events; it is signed with the workspace's Ed25519 key
 * (kept outside the database) and chained to the workspace's checkpoint before. What to sign is read from the queue
 * the ledger's trigger fills as events are appended ({@code ledger_unchecked}), checked against what the entries cover.
 * {@link #checkpointOnce()} is one round; {@code CheckpointLoop} runs it under the platform supervisor.
 */
@Service
public class LedgerCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(LedgerCheckpoints.class);
    /** Bounds one checkpoint, and so what verify reads to recompute its digest; a larger change takes several. */
    public static final int MAX_CONTACTS = 10_000;

    static final int MAX_EVENTS = 100_000;

    private final JdbcCheckpoints checkpoints;
    private final SigningKeys keys;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final JsonMapper json;
    private final @Nullable Path file;
    private final boolean logged;

    LedgerCheckpoints(
            JdbcCheckpoints checkpoints,
            SigningKeys keys,
            TransactionTemplate transactions,
            Clock clock,
            JsonMapper json,
            @Value("${optledger.ledger.checkpoints.file:}") String file,
            @Value("${optledger.ledger.checkpoints.log:true}") boolean logged) {
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.transactions = transactions;
        this.clock = clock;
        this.json = json;
        this.file = StringUtils.hasText(file) ? Path.of(file) : null;
        this.logged = logged;
    }

    /**
     * One round: a checkpoint for every workspace with changes since its last one (more than one where a change is
     * larger than a checkpoint holds). Answers how many it wrote. A workspace that fails is logged and left for the
     * next round; the others still get theirs.
     */
    public int checkpointOnce() {
        int written = 0;
        for (long workspaceId : checkpoints.pendingWorkspaces()) {
            try {
                Round round;
                do {
                    round = transactions.execute(status -> round(workspaceId));
                    if (round != null && round.written() != null) {
                        written++;
                        export(round.written());
                    }
                } while (round != null && round.more());
            } catch (RuntimeException e) {
                log.warn(
                        "Ledger checkpoint of workspace {} failed; retrying next round: {}", workspaceId, e.toString());
            }
        }
        return written;
    }

    /** What a round wrote, and whether more events are queued. */
    private record Round(@Nullable Checkpoint written, boolean more) {}

    /** One checkpoint of the next queued events, which leave the queue when it commits. */
    private Round round(long workspaceId) {
        if (!checkpoints.tryLock(workspaceId)) {
            return new Round(null, false);
        }
        List<Unchecked> queued = checkpoints.unchecked(workspaceId, MAX_EVENTS);
        if (queued.isEmpty()) {
            return new Round(null, false);
        }
        CheckpointBatch batch =
                CheckpointBatch.of(queued, MAX_EVENTS, contacts -> checkpoints.covered(workspaceId, contacts));
        Optional<Signer> signer = keys.active(workspaceId);
        if (signer.isEmpty()) {
            log.warn(
                    "Workspace {} has no ledger signing key in {} and generating one is off: no checkpoint",
                    workspaceId,
                    keys.folder());
            return new Round(null, false);
        }
        Optional<Checkpoint> previous = checkpoints.latest(workspaceId);
        long number = previous.map(p -> p.number() + 1).orElse(1L);
        List<CheckpointEntry> entries = entries(workspaceId, number, batch.contacts());
        Checkpoint checkpoint = null;
        if (!entries.isEmpty()) {
            checkpoint = sign(workspaceId, number, previous.map(Checkpoint::root), entries, signer.get());
            checkpoints.insert(checkpoint, entries);
        }
        checkpoints.dequeue(workspaceId, batch.read());
        return new Round(checkpoint, batch.more());
    }

    /**
     * An entry per contact with new events: from the queue, or, where the queue does not hold exactly the events after
     * those covered, from the ledger; a contact whose ledger has a gap is left out.
     */
    private List<CheckpointEntry> entries(long workspaceId, long number, List<Queued> contacts) {
        List<Range> fromLedger = contacts.stream()
                .filter(c -> !c.complete())
                .map(c -> new Range(c.contactId(), c.coveredSeq(), c.throughSeq()))
                .toList();
        Map<Long, byte[]> read = fromLedger.isEmpty() ? Map.of() : checkpoints.hashes(workspaceId, fromLedger);
        List<CheckpointEntry> entries = new ArrayList<>();
        for (Queued c : contacts) {
            if (c.throughSeq() == c.coveredSeq()) {
                continue;
            }
            byte[] bytes = c.complete() ? c.hashes() : read.get(c.contactId());
            if (bytes == null || bytes.length != 32 * (c.throughSeq() - c.coveredSeq())) {
                // a gap in the chain: verify reports it; signing it would only sign the damage
                log.warn(
                        "Contact {} of workspace {} has a gap in its ledger after seq {}: not checkpointed",
                        c.contactId(),
                        workspaceId,
                        c.coveredSeq());
                continue;
            }
            entries.add(new CheckpointEntry(number, c.contactId(), c.coveredSeq() + 1, c.throughSeq(), bytes));
        }
        return entries;
    }

    private Checkpoint sign(
            long workspaceId,
            long number,
            Optional<String> previousRoot,
            List<CheckpointEntry> entries,
            Signer signer) {
        Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String keyId = signer.publicKey().keyId();
        String prevRoot = previousRoot.orElse(Checkpoint.GENESIS);
        long events =
                entries.stream().mapToLong(e -> e.toSeq() - e.fromSeq() + 1).sum();
        String digest = CheckpointEntry.digest(entries);
        String canonical =
                Checkpoint.canonical(workspaceId, number, createdAt, keyId, prevRoot, entries.size(), events, digest);
        return new Checkpoint(
                workspaceId,
                number,
                createdAt,
                keyId,
                prevRoot,
                entries.size(),
                events,
                digest,
                Checkpoint.root(canonical),
                signer.sign(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Proves a checkpoint: its root is the hash of its content, its entries hash to its digest, it chains to the
     * checkpoint before it, and its signature verifies with the key it names, read from the key folder (never from
     * the database, which is what the signature guards against). Answers what is wrong, or empty when it holds.
     */
    @Transactional(readOnly = true)
    public Optional<String> authenticate(Checkpoint checkpoint) {
        long workspaceId = checkpoint.workspaceId();
        String canonical = checkpoint.canonical();
        if (!Checkpoint.root(canonical).equals(checkpoint.root())) {
            return Optional.of("its root is not the hash of its content");
        }
        List<CheckpointEntry> entries = checkpoints.allEntries(workspaceId, checkpoint.number());
        long events =
                entries.stream().mapToLong(e -> e.toSeq() - e.fromSeq() + 1).sum();
        if (entries.size() != checkpoint.contacts() || events != checkpoint.events()) {
            return Optional.of("it holds " + entries.size() + " contacts and " + events + " events but says "
                    + checkpoint.contacts() + " and " + checkpoint.events());
        }
        if (!CheckpointEntry.digest(entries).equals(checkpoint.entriesDigest())) {
            return Optional.of("its entries no longer hash to its digest");
        }
        String expectedPrev = checkpoint.number() == 1
                ? Checkpoint.GENESIS
                : checkpoints
                        .find(workspaceId, checkpoint.number() - 1)
                        .map(Checkpoint::root)
                        .orElse("(missing)");
        if (!expectedPrev.equals(checkpoint.prevRoot())) {
            return Optional.of("it does not chain to checkpoint " + (checkpoint.number() - 1));
        }
        Optional<PublicSigningKey> key = keys.find(workspaceId, checkpoint.keyId());
        if (key.isEmpty()) {
            return Optional.of("its key " + checkpoint.keyId() + " is not in the key folder");
        }
        if (!key.get().verifies(checkpoint.signedBytes(), checkpoint.signature())) {
            return Optional.of("its signature does not verify with key " + checkpoint.keyId());
        }
        return Optional.empty();
    }

    /** The workspace's checkpoints after {@code after}, oldest first. */
    @Transactional(readOnly = true)
    public List<Checkpoint> checkpoints(long workspaceId, long after, int limit) {
        return checkpoints.page(workspaceId, after, limit);
    }

    @Transactional(readOnly = true)
    public Optional<Checkpoint> checkpoint(long workspaceId, long number) {
        return checkpoints.find(workspaceId, number);
    }

    /** A checkpoint's entries after contact {@code afterContact}, in contact order. */
    @Transactional(readOnly = true)
    public List<CheckpointEntry> entries(long workspaceId, long number, long afterContact, int limit) {
        return checkpoints.entries(workspaceId, number, afterContact, limit);
    }

    /** What the log line and the file carry: everything an auditor needs to check the signature offline. */
    public Map<String, Object> describe(Checkpoint c) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("workspace", c.workspaceId());
        fields.put("number", c.number());
        fields.put("createdAt", c.createdAt().toString());
        fields.put("keyId", c.keyId());
        fields.put("prevRoot", c.prevRoot());
        fields.put("contacts", c.contacts());
        fields.put("events", c.events());
        fields.put("entriesDigest", c.entriesDigest());
        fields.put("root", c.root());
        fields.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(c.signature()));
        return fields;
    }

    private void export(Checkpoint checkpoint) {
        String line = json.writeValueAsString(describe(checkpoint));
        if (logged) {
            log.info("Ledger checkpoint {}", line);
        }
        if (file != null) {
            synchronized (this) {
                try {
                    if (file.getParent() != null) {
                        Files.createDirectories(file.getParent());
                    }
                    Files.writeString(
                            file,
                            line + "\n",
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    log.warn("Cannot append checkpoint {} to {}: {}", checkpoint.number(), file, e.toString());
                }
            }
        }
    }
}
