package io.optledger.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.optledger.support.ApiClient;
import io.optledger.support.ApiTest;
import io.optledger.support.TestWorkspace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 16: the outbox published to a real Kafka broker (KRaft, in the test JVM) as CloudEvents in binary mode, keyed
 * by contact so each contact's events keep their order, with offsets recorded; while nothing can be published, the
 * events wait in the outbox and none is lost.
 */
@ApiTest
class KafkaChangeStreamTests {

    private static final String TOPIC = "optledger.consent-events";
    private static final EmbeddedKafkaKraftBroker BROKER = broker();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        // a context of its own (the stream is on), so a database of its own
        registry.add("optledger.data-dir", () -> "target/test-data-kafka");
        registry.add("optledger.kafka.bootstrap-servers", BROKER::getBrokersAsString);
    }

    @AfterAll
    static void stopBroker() {
        BROKER.destroy();
    }

    @Test
    void everyChangeArrivesAsACloudEventInOrderPerContactWithItsOffsetRecorded() throws Exception {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        List<Long> contacts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            contacts.add(workspace.contact("k" + i + "@example.com", "+1415555" + (6000 + i)));
        }
        // four writers, one per contact, alternating opt-in and opt-out
        int changesEach = 15;
        try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (long contact : contacts) {
                done.add(writers.submit(() -> {
                    for (int n = 0; n < changesEach; n++) {
                        ApiClient.Response response = workspace.change(Map.of(
                                "contactId",
                                contact,
                                "channel",
                                "EMAIL",
                                "topic",
                                "marketing",
                                "action",
                                n % 2 == 0 ? "OPT_IN" : "OPT_OUT"));
                        assertThat(response.status()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        }

        List<ConsumerRecord<String, byte[]>> records = consume(workspace.id(), contacts.size() * changesEach);

        JsonMapper json = JsonMapper.builder().build();
        Map<Long, List<Long>> seqs = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            JsonNode data = json.readTree(new String(record.value(), StandardCharsets.UTF_8));
            long contact = data.get("contactId").asLong();
            assertThat(record.key()).isEqualTo(workspace.id() + ":" + contact);
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_type")).isEqualTo("dev.optledger.subscription.changed");
            assertThat(header(record, "ce_source")).isEqualTo("/optledger/workspaces/" + workspace.id());
            assertThat(header(record, "ce_subject")).isEqualTo("contacts/" + contact);
            assertThat(header(record, "ce_id")).startsWith(workspace.id() + "-");
            assertThat(header(record, "content-type")).isEqualTo("application/json");
            seqs.computeIfAbsent(contact, c -> new ArrayList<>())
                    .add(data.get("eventSeq").asLong());
        }
        assertThat(seqs.keySet()).containsExactlyInAnyOrderElementsOf(contacts);
        for (List<Long> contactSeqs : seqs.values()) {
            assertThat(contactSeqs).hasSize(changesEach).isSorted();
        }
        assertThat(jdbc.sql("select count(*) from outbox where workspace_id = :w and published_at is not null"
                                + " and kafka_offset is not null and kafka_partition is not null")
                        .param("w", workspace.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(contacts.size() * (long) changesEach);
    }

    @Test
    void whileTheTopicCannotBeWrittenEventsWaitAndNoneIsLost() throws Exception {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        long contact = workspace.contact("outage@example.com", "+14155556100");
        // every send fails meanwhile, as in a broker outage: the topic is gone and may not be created by a producer
        BROKER.doWithAdmin(admin -> admin.deleteTopics(List.of(TOPIC)));
        awaitTopic(false);
        try {
            for (int n = 0; n < 10; n++) {
                assertThat(workspace
                                .change(Map.of(
                                        "contactId",
                                        contact,
                                        "channel",
                                        "EMAIL",
                                        "topic",
                                        "marketing",
                                        "action",
                                        n % 2 == 0 ? "OPT_IN" : "OPT_OUT"))
                                .status())
                        .isEqualTo(200);
            }
            Thread.sleep(6_000);
            assertThat(jdbc.sql("select count(*) from outbox where workspace_id = :w and published_at is null")
                            .param("w", workspace.id())
                            .query(Long.class)
                            .single())
                    .isEqualTo(10L);
        } finally {
            BROKER.doWithAdmin(admin -> admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))));
            awaitTopic(true);
        }
        List<ConsumerRecord<String, byte[]>> records = consume(workspace.id(), 10);
        assertThat(records.stream().map(r -> header(r, "ce_id")).distinct()).hasSize(10);
    }

    @Test
    void suppressionsArriveAsWorkspaceEventsInTheOrderOfTheWorkspaceLedger() {
        TestWorkspace workspace = TestWorkspace.create(new ApiClient(port));
        for (String reason : List.of("BOUNCE", "COMPLAINT")) {
            assertThat(workspace
                            .api()
                            .post(
                                    "/v1/suppressions",
                                    workspace.adminKey(),
                                    ApiClient.json(Map.of(
                                            "channel", "EMAIL", "address", "kafka-gone@example.com", "reason", reason)))
                            .status())
                    .isIn(200, 201);
        }

        List<ConsumerRecord<String, byte[]>> records = consume(workspace.id(), 2);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(records).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(workspace.id() + ":workspace");
            assertThat(header(record, "ce_subject")).isEqualTo("workspace");
        });
        assertThat(records.stream().map(r -> header(r, "ce_type")))
                .containsExactly("dev.optledger.suppression.added", "dev.optledger.suppression.changed");
        assertThat(records.stream()
                        .map(r -> json.readTree(new String(r.value(), StandardCharsets.UTF_8))
                                .get("after")
                                .asString()))
                .containsExactly("BOUNCE", "COMPLAINT");
    }

    private static void awaitTopic(boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (BROKER.doWithAdminFunction(admin -> {
                    try {
                        return admin.listTopics().names().get().contains(TOPIC);
                    } catch (Exception e) {
                        return !present;
                    }
                })
                != present) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Reads the topic from the start until {@code count} records of the workspace arrived (60 s at most). */
    private static List<ConsumerRecord<String, byte[]>> consume(long workspaceId, int count) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long extra = Long.MAX_VALUE;
            // past the count, two seconds more: an event published twice would show
            while (System.nanoTime() < Math.min(deadline, extra)) {
                if (records.size() >= count && extra == Long.MAX_VALUE) {
                    extra = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().startsWith(workspaceId + ":")) {
                        records.add(record);
                    }
                }
            }
        }
        assertThat(records).as("records of workspace " + workspaceId).hasSize(count);
        return records;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static EmbeddedKafkaKraftBroker broker() {
        EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 3, TOPIC);
        started.brokerProperty("auto.create.topics.enable", "false");
        started.afterPropertiesSet();
        return started;
    }
}
