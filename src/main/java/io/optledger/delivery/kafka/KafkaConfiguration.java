package io.optledger.delivery.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.optledger.delivery.internal.JdbcKafkaOutbox;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Kafka change stream, on when {@code optledger.kafka.bootstrap-servers} is set: an idempotent producer that waits
 * for every in-sync replica ({@code acks=all}), and the supervised publisher loop.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("optledger.kafka.bootstrap-servers")
class KafkaConfiguration {

    @Bean
    KafkaTemplate<String, byte[]> changeStreamTemplate(
            @Value("${optledger.kafka.bootstrap-servers}") String servers,
            @Value("${optledger.kafka.client-id:optledger}") String clientId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // a broker that is down fails a pass within seconds (the rows stay unpublished), not after minutes
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(settings));
    }

    @Bean
    KafkaPublisher kafkaPublisher(
            JdbcKafkaOutbox outbox,
            KafkaTemplate<String, byte[]> changeStreamTemplate,
            TransactionTemplate transactions,
            Clock clock,
            @Value("${optledger.kafka.topic:optledger.consent-events}") String topic,
            MeterRegistry meters) {
        return new KafkaPublisher(outbox, changeStreamTemplate, transactions, clock, topic, meters);
    }
}
