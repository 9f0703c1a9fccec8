package io.optledger.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Reports the supervised background loops, in the readiness group: DOWN while any has had no successful pass within
 * its stall threshold, so a node whose workers are stuck stops taking traffic until they run again.
 */
@Component
class WorkersHealthIndicator implements HealthIndicator {

    private final Supervisor supervisor;

    WorkersHealthIndicator(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        List<Supervisor.LoopState> loops = supervisor.loops();
        Health.Builder health = loops.stream().anyMatch(Supervisor.LoopState::stalled) ? Health.down() : Health.up();
        for (Supervisor.LoopState loop : loops) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("stalled", loop.stalled());
            details.put(
                    "lastSuccess",
                    loop.lastSuccess() == null ? "never" : loop.lastSuccess().toString());
            details.put("stallAfter", loop.stallAfter().toString());
            details.put("failures", loop.failures());
            details.put("restarts", loop.restarts());
            if (loop.lastFailure() != null) {
                details.put("lastFailure", loop.lastFailure());
            }
            health.withDetail(loop.name(), details);
        }
        return health.build();
    }
}
