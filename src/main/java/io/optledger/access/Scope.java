package io.optledger.access;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** What an API key may do. {@code admin} includes reading and writing subscriptions; {@code system} is separate. */
public enum Scope {
    SUBSCRIPTIONS_READ("subscriptions:read"),
    SUBSCRIPTIONS_WRITE("subscriptions:write"),
    ADMIN("admin"),
    /** Post inbound SMS from the provider's webhook, and nothing else: the per-workspace secret a gateway holds. */
    SMS_INBOUND("sms:inbound"),
    SYSTEM("system");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static Scope of(String value) {
        return Arrays.stream(values())
                .filter(scope -> scope.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + value + "', expected one of "
                        + Arrays.stream(values()).map(Scope::value).toList()));
    }

    /** True when a key holding {@code held} may act where this scope is required. */
    public boolean isGrantedBy(Set<Scope> held) {
        return held.contains(this)
                || switch (this) {
                    case SUBSCRIPTIONS_READ -> held.contains(SUBSCRIPTIONS_WRITE) || held.contains(ADMIN);
                    case SUBSCRIPTIONS_WRITE, SMS_INBOUND -> held.contains(ADMIN);
                    case ADMIN, SYSTEM -> false;
                };
    }

    public static Set<Scope> all() {
        return EnumSet.allOf(Scope.class);
    }
}
