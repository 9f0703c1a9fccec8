package io.optledger.console;

import io.optledger.consent.ConsentStatistics;
import io.optledger.consent.ConsentStatistics.DailyCount;
import io.optledger.contact.Channel;
import io.optledger.messaging.Messages;
import io.optledger.platform.InvalidInput;
import io.optledger.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/** The dashboard: the consent changes of the last 30 or 90 days, the subscriptions now, and the message queue. */
@Controller
class DashboardController {

    static final List<Integer> PERIODS = List.of(30, 90);

    private final ConsentStatistics statistics;
    private final Messages messages;
    private final Topics topics;
    private final JsonMapper json;
    private final Clock clock;

    DashboardController(ConsentStatistics statistics, Messages messages, Topics topics, JsonMapper json, Clock clock) {
        this.statistics = statistics;
        this.messages = messages;
        this.topics = topics;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping(path = "/console", produces = MediaType.TEXT_HTML_VALUE)
    String dashboard(
            Operator operator,
            @RequestParam(defaultValue = "30") int days,
            @RequestParam(required = false) @Nullable String topic,
            @RequestParam(required = false) @Nullable Channel channel,
            Model model) {
        if (!PERIODS.contains(days)) {
            throw new InvalidInput("days", "the dashboard shows the last 30 or 90 days");
        }
        String chosenTopic = topic == null || topic.isBlank() ? null : topic;
        long workspaceId = operator.workspaceId();
        List<DailyCount> daily = statistics.daily(workspaceId, days).stream()
                .filter(c -> chosenTopic == null || c.topic().equals(chosenTopic))
                .filter(c -> channel == null || c.channel() == channel)
                .toList();
        Instant now = clock.instant();
        Dashboard dashboard = Dashboard.of(
                days,
                LocalDate.ofInstant(now, ZoneOffset.UTC),
                now,
                daily,
                statistics.states(workspaceId),
                messages.queue(workspaceId));
        model.addAttribute("dashboard", dashboard);
        model.addAttribute("chart", json.writeValueAsString(dashboard.chart()));
        model.addAttribute("periods", PERIODS);
        model.addAttribute("topics", topics.list(workspaceId));
        model.addAttribute("channels", Channel.values());
        model.addAttribute("topic", chosenTopic);
        model.addAttribute("channel", channel);
        return "console/dashboard";
    }
}
