-- Where each outbox row was published to Kafka: its partition and offset, beside when (published_at).
alter table outbox add column kafka_partition integer;
alter table outbox add column kafka_offset bigint;
