package io.optledger.access;

/** A request without a usable key (401) or with a key that lacks the scope (403). */
public final class AccessDenied extends RuntimeException {

    private final boolean authenticated;

    private AccessDenied(String message, boolean authenticated) {
        super(message);
        this.authenticated = authenticated;
    }

    public static AccessDenied unauthenticated(String message) {
        return new AccessDenied(message, false);
    }

    public static AccessDenied missingScope(Scope scope) {
        return new AccessDenied("this key lacks the scope '" + scope.value() + "'", true);
    }

    /** False for 401 (who are you?), true for 403 (known, but not allowed). */
    public boolean authenticated() {
        return authenticated;
    }
}
