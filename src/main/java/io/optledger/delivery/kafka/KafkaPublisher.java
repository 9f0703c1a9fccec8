package io.optledger.delivery.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.optledger.delivery.internal.JdbcKafkaOutbox;
import io.optledger.platform.SupervisedLoop;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox to Kafka, at least once and in order per contact. A pass, in one transaction: become the one
 * publisher (other nodes' passes then do nothing), take up to {@link #BATCH} unpublished rows oldest first, send them
 * with the idempotent, {@code acks=all} producer, wait until the broker has every one, and mark them published with
 * their partition and offset. A broker outage fails the pass before anything is marked, so the rows stay and go out
 * when it is back; a failure after the broker acknowledged sends them again (at least once: consumers dedupe by
 * {@code ce_id}).
 */
final class KafkaPublisher implements SupervisedLoop {

    static final int BATCH = 500;
    /** Longer than the producer's delivery timeout: a send that cannot finish fails the pass, never hangs it. */
    private static final Duration ACK_WAIT = Duration.ofSeconds(25);

    private final JdbcKafkaOutbox outbox;
    private final KafkaTemplate<String, byte[]> kafka;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String topic;
    private final Counter published;

    KafkaPublisher(
            JdbcKafkaOutbox outbox,
            KafkaTemplate<String, byte[]> kafka,
            TransactionTemplate transactions,
            Clock clock,
            String topic,
            MeterRegistry meters) {
        this.outbox = outbox;
        this.kafka = kafka;
        this.transactions = transactions;
        this.clock = clock;
        this.topic = topic;
        this.published = Counter.builder("optledger.kafka.published")
                .description("Outbox events published to Kafka")
                .register(meters);
        Gauge.builder("optledger.kafka.lag.seconds", this, KafkaPublisher::lagSeconds)
                .description("Age of the oldest outbox event not yet published to Kafka (0 when none)")
                .register(meters);
    }

    @Override
    public String name() {
        return "kafka-publisher";
    }

    @Override
    public Duration interval() {
        return Duration.ofMillis(100);
    }

    @Override
    public Duration stallAfter() {
        return Duration.ofMinutes(2);
    }

    @Override
    public boolean runOnce() {
        Integer sent = transactions.execute(status -> publishBatch());
        return sent != null && sent == BATCH;
    }

    private int publishBatch() {
        if (!outbox.becomePublisher()) {
            return 0;
        }
        List<JdbcKafkaOutbox.Row> rows = outbox.unpublished(BATCH);
        if (rows.isEmpty()) {
            return 0;
        }
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(rows.size());
        for (JdbcKafkaOutbox.Row row : rows) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    topic,
                    null,
                    row.createdAt().toEpochMilli(),
                    CloudEvents.key(row),
                    row.payload().getBytes(StandardCharsets.UTF_8),
                    CloudEvents.headers(row));
            sends.add(kafka.send(record));
        }
        kafka.flush();
        List<JdbcKafkaOutbox.Published> done = new ArrayList<>(rows.size());
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < rows.size(); i++) {
                var metadata = sends.get(i).join().getRecordMetadata();
                done.add(new JdbcKafkaOutbox.Published(rows.get(i), metadata.partition(), metadata.offset()));
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(
                    "Kafka did not acknowledge " + rows.size() + " events: " + e.getMessage(), e);
        }
        outbox.markPublished(done, clock.instant());
        published.increment(done.size());
        return done.size();
    }

    private double lagSeconds() {
        try {
            return outbox.oldestUnpublished()
                    .map(oldest -> Math.max(
                            0, Duration.between(oldest, Instant.now(clock)).toMillis() / 1000.0))
                    .orElse(0.0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
