package io.optledger.preferences;

import io.optledger.platform.Settings;
import org.springframework.stereotype.Service;

/** Each workspace's branding of its public pages, kept as a setting (cached, current on every node). */
@Service
public class Brandings {

    private static final String NAMESPACE = "preferences";
    private static final String KEY = "branding";

    private final Settings settings;

    Brandings(Settings settings) {
        this.settings = settings;
    }

    public Branding of(long workspaceId) {
        return settings.get(workspaceId, NAMESPACE, KEY, Branding.class).orElse(Branding.NONE);
    }

    public Branding set(long workspaceId, Branding branding) {
        settings.put(workspaceId, NAMESPACE, KEY, branding);
        return branding;
    }
}
