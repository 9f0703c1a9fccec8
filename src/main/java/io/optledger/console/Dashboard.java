package io.optledger.console;

import io.optledger.consent.ConsentStatistics.ChangeKind;
import io.optledger.consent.ConsentStatistics.DailyCount;
import io.optledger.consent.ConsentStatistics.StateCount;
import io.optledger.contact.Channel;
import io.optledger.messaging.OutboundMessage;
import io.optledger.messaging.QueueCount;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The dashboard's figures, shaped for its tables and its chart. */
record Dashboard(
        int days,
        List<Day> series,
        List<DayRow> rows,
        List<TopicChannel> current,
        List<QueueCount> queue,
        long pendingTotal,
        @Nullable Duration oldestPending) {

    /** One day of the chart: the changes of every kind, summed over the topics and channels chosen. */
    record Day(LocalDate day, long optIns, long optOuts, long confirmations) {}

    /** One day, topic and channel of the table. */
    record DayRow(LocalDate day, String topic, Channel channel, long optIns, long optOuts, long confirmations) {}

    /** A topic on a channel now: subscribed, and pending with the age of the oldest and the long waits. */
    record TopicChannel(
            String topic,
            Channel channel,
            long subscribed,
            long unsubscribed,
            long pending,
            @Nullable Duration oldestPending,
            long pendingOverDay,
            long pendingOverWeek) {}

    static Dashboard of(
            int days,
            LocalDate today,
            Instant now,
            List<DailyCount> daily,
            List<StateCount> states,
            List<QueueCount> queue) {
        Map<LocalDate, long[]> byDay = new TreeMap<>();
        for (int i = days - 1; i >= 0; i--) {
            byDay.put(today.minusDays(i), new long[3]);
        }
        Map<String, DayRowBuilder> rows = new LinkedHashMap<>();
        for (DailyCount count : daily) {
            long[] day = byDay.get(count.day());
            if (day != null) {
                day[count.kind().ordinal()] += count.count();
            }
            rows.computeIfAbsent(
                                    count.day() + "|" + count.topic() + "|" + count.channel(),
                                    key -> new DayRowBuilder(count.day(), count.topic(), count.channel()))
                            .counts[count.kind().ordinal()] +=
                    count.count();
        }
        List<Day> series = byDay.entrySet().stream()
                .map(e -> new Day(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                .toList();
        List<DayRow> table = rows.values().stream()
                .map(b -> new DayRow(b.day, b.topic, b.channel, b.counts[0], b.counts[1], b.counts[2]))
                .sorted((a, b) -> b.day().compareTo(a.day()))
                .toList();

        Map<String, long[]> current = new TreeMap<>();
        Map<String, Instant> oldest = new TreeMap<>();
        long pendingTotal = 0;
        Instant oldestPending = null;
        for (StateCount state : states) {
            String key = state.topic() + "|" + state.channel();
            long[] c = current.computeIfAbsent(key, k -> new long[5]);
            switch (state.status()) {
                case SUBSCRIBED -> c[0] += state.count();
                case UNSUBSCRIBED -> c[1] += state.count();
                case PENDING -> {
                    c[2] += state.count();
                    c[3] += state.olderThanDay();
                    c[4] += state.olderThanWeek();
                    oldest.put(key, state.oldest());
                    pendingTotal += state.count();
                    oldestPending = oldestPending == null || state.oldest().isBefore(oldestPending)
                            ? state.oldest()
                            : oldestPending;
                }
                case SUSPENDED, DETACHED -> {}
            }
        }
        List<TopicChannel> topics = new ArrayList<>();
        current.forEach((key, c) -> {
            String[] parts = key.split("\\|", 2);
            Instant first = oldest.get(key);
            topics.add(new TopicChannel(
                    parts[0],
                    Channel.valueOf(parts[1]),
                    c[0],
                    c[1],
                    c[2],
                    first == null ? null : Duration.between(first, now),
                    c[3],
                    c[4]));
        });
        return new Dashboard(
                days,
                series,
                table,
                topics,
                queue(queue),
                pendingTotal,
                oldestPending == null ? null : Duration.between(oldestPending, now));
    }

    /** The chart's data: day starts in epoch seconds (UTC) and one list of counts per kind. */
    Map<String, Object> chart() {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put(
                "x",
                series.stream()
                        .map(d -> d.day().atStartOfDay(ZoneOffset.UTC).toEpochSecond())
                        .toList());
        chart.put(ChangeKind.OPT_IN.name(), series.stream().map(Day::optIns).toList());
        chart.put(ChangeKind.OPT_OUT.name(), series.stream().map(Day::optOuts).toList());
        chart.put(
                ChangeKind.CONFIRMATION.name(),
                series.stream().map(Day::confirmations).toList());
        return chart;
    }

    /** Every message status in its life's order, a status with no message counted as 0. */
    private static List<QueueCount> queue(List<QueueCount> counted) {
        Map<OutboundMessage.Status, QueueCount> byStatus = new EnumMap<>(OutboundMessage.Status.class);
        counted.forEach(c -> byStatus.put(c.status(), c));
        return Arrays.stream(OutboundMessage.Status.values())
                .map(status -> byStatus.getOrDefault(status, new QueueCount(status, 0, null)))
                .toList();
    }

    /** The queue's figures an operator watches: queued, sent and failed. */
    public List<QueueCount> queueHeadlines() {
        return queue.stream()
                .filter(q -> q.status() == OutboundMessage.Status.QUEUED
                        || q.status() == OutboundMessage.Status.SENT
                        || q.status() == OutboundMessage.Status.FAILED)
                .toList();
    }

    public long subscribedTotal() {
        return current.stream().mapToLong(TopicChannel::subscribed).sum();
    }

    private static final class DayRowBuilder {
        final LocalDate day;
        final String topic;
        final Channel channel;
        final long[] counts = new long[3];

        DayRowBuilder(LocalDate day, String topic, Channel channel) {
            this.day = day;
            this.topic = topic;
            this.channel = channel;
        }
    }
}
