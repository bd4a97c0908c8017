package dev.switchboard.web;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A cheap stamp of a table's rows, for in-memory indexes that poll for changes made on other
 * nodes: it moves with any insert, update or delete. It is the row count and the sum of the rows'
 * update times, a sum rather than the newest time, so that a change written by a node whose clock
 * is behind the newest row moves it too. Runs on H2 and PostgreSQL.
 */
public final class ChangeStamps {

    private ChangeStamps() {
    }

    /** The stamp of every row of {@code table} (a constant of the caller's, never input). */
    public static String of(JdbcClient jdbc, String table) {
        return read(jdbc, "FROM " + table);
    }

    /** The stamp of the rows of {@code table} matching {@code condition} (constants, never input). */
    public static String of(JdbcClient jdbc, String table, String condition) {
        return read(jdbc, "FROM " + table + " WHERE " + condition);
    }

    private static String read(JdbcClient jdbc, String from) {
        return jdbc.sql("SELECT COUNT(*) AS n, SUM(EXTRACT(EPOCH FROM updated_at)) AS updated " + from)
                .query((rs, i) -> rs.getLong("n") + "/" + rs.getBigDecimal("updated"))
                .single();
    }
}
