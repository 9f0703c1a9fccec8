package io.optledger.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.optledger.support.ApiClient;
import io.optledger.support.ServiceProcess;
import io.optledger.support.SharedDatabase;
import io.optledger.support.TestWorkspace;
import io.optledger.support.WriteLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14: two service processes on one PostgreSQL, one killed with {@code kill -9} under load while it holds
 * claimed texts. The other keeps serving (every write it is sent succeeds), and picks up the dead node's texts once
 * their lease lapses; nothing either node acknowledged is lost. Slow (real processes): {@code mvn -Pslow verify}.
 */
@Tag("slow")
class NodeKillTests {

    private static final int TEXTS = 12;
    private static final int CONTACTS = 10;
    private static final Duration LEASE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void theSurvivorKeepsServingAndSendsTheDeadNodesClaimedTexts() throws Exception {
        WireMockServer gateway = new WireMockServer(wireMockConfig().dynamicPort());
        gateway.start();
        // slow enough that the first node still holds most of its claimed batch when it dies
        gateway.stubFor(
                post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(202).withFixedDelay(1_000)));
        try (SharedDatabase database = SharedDatabase.start(dir.resolve("pg"))) {
            List<String> arguments = database.nodeArguments(
                    dir.resolve("node"),
                    "--optledger.sms.sender=http",
                    "--optledger.sms.http.url=" + gateway.baseUrl() + "/sms",
                    "--optledger.sms.from=+15550001111",
                    "--optledger.messaging.lease=" + LEASE.toSeconds() + "s");
            // the first node looks for due texts 20 times as often, so it claims the whole queue
            ServiceProcess first = ServiceProcess.start(
                    "node-kill-first", with(arguments, "--optledger.messaging.poll-interval=100ms"));
            ServiceProcess survivor = ServiceProcess.start(
                    "node-kill-survivor", with(arguments, "--optledger.messaging.poll-interval=2s"));
            TestWorkspace workspace = TestWorkspace.create(first.api());
            List<Long> contacts = new ArrayList<>();
            for (int i = 0; i < CONTACTS; i++) {
                contacts.add(workspace.contact("n" + i + "@example.com", "+1415555" + (5000 + i)));
            }
            // the first node claims every text at once and sends them one a second
            for (int i = 0; i < TEXTS; i++) {
                ApiClient.Response help = first.api()
                        .post(
                                "/v1/inbound/sms",
                                workspace.adminKey(),
                                "{\"from\": \"+1415555" + (5100 + i) + "\", \"body\": \"HELP\"}");
                assertThat(help.status()).as(help.text()).isEqualTo(200);
            }
            awaitTexts(gateway, 1, Duration.ofSeconds(30));
            try (survivor) {
                WriteLoad onFirst = new WriteLoad(first::api, workspace.adminKey(), contacts, 3);
                WriteLoad onSurvivor = new WriteLoad(survivor::api, workspace.adminKey(), contacts, 3);
                Thread.sleep(2_000);
                int sentBeforeKill = texts(gateway).values().stream()
                        .mapToInt(Long::intValue)
                        .sum();
                first.kill();
                long killed = System.nanoTime();
                onFirst.close();
                Thread.sleep(3_000);
                onSurvivor.close();

                Map<String, Long> texts = awaitTexts(gateway, TEXTS, Duration.ofSeconds(120));
                long pickedUpMillis =
                        Duration.ofNanos(System.nanoTime() - killed).toMillis();
                long duplicates = texts.values().stream().mapToLong(n -> n - 1).sum();
                Set<WriteLoad.Acknowledged> acknowledged = new java.util.HashSet<>(onFirst.acknowledged());
                acknowledged.addAll(onSurvivor.acknowledged());
                Set<WriteLoad.Acknowledged> lost =
                        WriteLoad.lost(survivor.api(), workspace.adminKey(), contacts, acknowledged);
                System.out.printf(
                        "node killed: %d of %d texts sent before the kill, all %d phones texted %d ms after it"
                                + " (lease %d s), %d sent twice; survivor answered %s; %d acknowledged, %d lost%n",
                        sentBeforeKill,
                        TEXTS,
                        texts.size(),
                        pickedUpMillis,
                        LEASE.toSeconds(),
                        duplicates,
                        onSurvivor.statuses(),
                        acknowledged.size(),
                        lost.size());
                assertThat(sentBeforeKill).isLessThan(TEXTS);
                assertThat(texts).hasSize(TEXTS);
                // the one text in flight when the node died may have reached the gateway without being marked sent
                assertThat(duplicates).isLessThanOrEqualTo(1);
                assertThat(onSurvivor.statuses().keySet()).containsOnly(200);
                assertThat(lost).isEmpty();
            }
        } finally {
            gateway.stop();
        }
    }

    private static List<String> with(List<String> arguments, String more) {
        List<String> all = new ArrayList<>(arguments);
        all.add(more);
        return all;
    }

    /** Waits for texts to reach this many phones; answers the texts per phone. */
    private static Map<String, Long> awaitTexts(WireMockServer gateway, int phones, Duration patience)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Map<String, Long> texts = texts(gateway);
        while (texts.size() < phones && System.nanoTime() < deadline) {
            Thread.sleep(100);
            texts = texts(gateway);
        }
        return texts;
    }

    private static Map<String, Long> texts(WireMockServer gateway) {
        JsonMapper json = JsonMapper.builder().build();
        return gateway.findAll(postRequestedFor(urlEqualTo("/sms"))).stream()
                .map(request ->
                        json.readTree(request.getBodyAsString()).get("to").asString())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
