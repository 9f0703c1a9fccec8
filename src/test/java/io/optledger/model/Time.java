package io.optledger.model;

/**
 * A time as the model knows it, in epoch milliseconds: exact ({@code lo == hi}) for a time the test chose, or the
 * interval in which the service received a request. Two requests' intervals never overlap, so comparisons are exact
 * except where a chosen time falls inside a request's interval: then the model cannot say, and says so.
 */
record Time(long lo, long hi) {

    static final Time NEVER_ASKED = exact(0);

    static Time exact(long millis) {
        return new Time(millis, millis);
    }

    boolean isExact() {
        return lo == hi;
    }

    /** Thrown where the model cannot order two times; the sequence stops there, counted as inconclusive. */
    static final class Ambiguous extends RuntimeException {
        Ambiguous(Time a, Time b) {
            super("cannot order " + a + " and " + b);
        }
    }

    /** Negative, zero or positive as this time is before, the same instant as, or after {@code other}. */
    int compareTo(Time other) {
        if (equals(other)) {
            // the same exact time, or the same request's receipt: one request applies at one instant
            return 0;
        }
        if (hi < other.lo) {
            return -1;
        }
        if (lo > other.hi) {
            return 1;
        }
        throw new Ambiguous(this, other);
    }

    static Time min(Time a, Time b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
