package io.optledger.backup;

/** A position in PostgreSQL's write-ahead log, written as PostgreSQL 18 writes it ({@code 16/0B374D48}). */
record Lsn(long value) {

    static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("not a WAL position: " + text);
        }
        return new Lsn(
                Long.parseLong(text.substring(0, slash), 16) << 32 | Long.parseLong(text.substring(slash + 1), 16));
    }

    @Override
    public String toString() {
        return String.format("%X/%08X", value >>> 32, value & 0xFFFF_FFFFL);
    }
}
