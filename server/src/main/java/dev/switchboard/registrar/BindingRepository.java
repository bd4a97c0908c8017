package dev.switchboard.registrar;

import dev.switchboard.web.Timestamps;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code binding} table: the location store's copy in the database, written in JDBC batches.
 * Every write carries a stamp ({@link #nextStamp()}) and the writing node, and removals are kept
 * for a while in {@code binding_removal}, so a node can read just what the others changed
 * ({@link #changesSince}).
 */
@Repository
public class BindingRepository {

    /** Path values are joined with a character that cannot occur in a SIP header value. */
    private static final String PATH_SEPARATOR = "\n";
    /** AORs per {@code IN (...)} list. */
    private static final int IN_LIST = 500;

    private static final String UPDATE = """
            UPDATE binding SET contact = ?, q = ?, expires_at = ?, call_id = ?, cseq = ?, source = ?, transport = ?,
                user_agent = ?, instance = ?, reg_id = ?, path = ?, registered_at = ?, stamp = ?, node = ?
            WHERE id = ? AND registered_at <= ?""";
    private static final String INSERT = """
            INSERT INTO binding (contact, q, expires_at, call_id, cseq, source, transport, user_agent, instance,
                reg_id, path, registered_at, stamp, node, id, tenant_id, user_id, aor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public BindingRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Bindings not yet expired at {@code now}. */
    public List<Binding> loadLive(Instant now) {
        return jdbc.sql("SELECT * FROM binding WHERE expires_at > ?").param(Timestamps.sql(now))
                .query(BindingRepository::map).list();
    }

    /** Bindings of these AORs not yet expired at {@code now}. */
    public List<Binding> loadLive(Collection<String> aors, Instant now) {
        List<Binding> out = new ArrayList<>();
        List<String> all = new ArrayList<>(aors);
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
            String marks = marks(part.size());
            List<Object> params = new ArrayList<>(part);
            params.add(Timestamps.sql(now));
            out.addAll(jdbc.sql("SELECT * FROM binding WHERE aor IN (" + marks + ") AND expires_at > ?")
                    .params(params).query(BindingRepository::map).list());
        }
        return out;
    }

    /**
     * The next write stamp. Run inside the writing transaction: the clock row stays locked until
     * it commits, so no other transaction gets a later stamp and commits before this one.
     */
    public long nextStamp() {
        jdbc.sql("UPDATE binding_clock SET stamp = stamp + 1 WHERE id = 1").update();
        return currentStamp();
    }

    /** The latest committed stamp (inside a writing transaction: its own). */
    public long currentStamp() {
        return jdbc.sql("SELECT stamp FROM binding_clock WHERE id = 1").query(Long.class).single();
    }

    /**
     * Writes the bindings with this stamp, replacing rows with the same id. Rows of the AOR written
     * by other nodes are left alone: each node deletes only what it removed ({@link #delete}). Run
     * inside a transaction.
     *
     * <p>A node writes every binding of an AOR it changed, also those it holds only as another
     * node last told it. Such a copy must not undo that node's later work: it does not overwrite
     * a row registered (refreshed) later than itself, and it does not bring back a row removed
     * after it was registered (a binding deleted on one node while a second contact of the same
     * user registered on another came back from the dead).
     */
    public void save(List<Binding> bindings, long stamp, UUID node) {
        if (bindings.isEmpty()) {
            return;
        }
        int[][] updated = template.batchUpdate(UPDATE, bindings, bindings.size(), (ps, b) -> {
            setRow(ps, b, stamp, node);
            ps.setObject(16, Timestamps.sql(b.registeredAt()));
        });
        List<Binding> missing = new ArrayList<>();
        int i = 0;
        for (int[] counts : updated) {
            for (int n : counts) {
                if (n == 0) {
                    missing.add(bindings.get(i));
                }
                i++;
            }
        }
        missing = newRows(missing);
        if (!missing.isEmpty()) {
            template.batchUpdate(INSERT, missing, missing.size(), (ps, b) -> {
                setRow(ps, b, stamp, node);
                ps.setObject(16, b.tenantId());
                ps.setObject(17, b.userId());
                ps.setString(18, b.aor());
            });
        }
    }

    /**
     * Of bindings the UPDATE did not write, those to insert: not those whose row exists (it is
     * newer than this copy) nor those removed after this copy was registered.
     */
    private List<Binding> newRows(List<Binding> unwritten) {
        if (unwritten.isEmpty()) {
            return unwritten;
        }
        Set<UUID> present = new HashSet<>();
        Map<UUID, Instant> removedAt = new HashMap<>();
        for (int from = 0; from < unwritten.size(); from += IN_LIST) {
            List<Binding> part = unwritten.subList(from, Math.min(unwritten.size(), from + IN_LIST));
            String marks = marks(part.size());
            List<Object> ids = part.stream().<Object>map(Binding::id).toList();
            present.addAll(jdbc.sql("SELECT id FROM binding WHERE id IN (" + marks + ")").params(ids)
                    .query((rs, n) -> rs.getObject("id", UUID.class)).list());
            // Removals of the binding itself, and of every contact of its AOR (an un-REGISTER with *).
            List<Object> removals = new ArrayList<>(ids);
            part.stream().map(b -> LocationStore.everyContactOf(b.aor())).distinct().forEach(removals::add);
            jdbc.sql("SELECT id, MAX(removed_at) AS removed_at FROM binding_removal WHERE id IN ("
                            + marks(removals.size()) + ") GROUP BY id").params(removals)
                    .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), Timestamps.read(rs, "removed_at")))
                    .list().forEach(e -> removedAt.put(e.getKey(), e.getValue()));
        }
        List<Binding> insert = new ArrayList<>(unwritten.size());
        for (Binding b : unwritten) {
            Instant removed = later(removedAt.get(b.id()), removedAt.get(LocationStore.everyContactOf(b.aor())));
            if (!present.contains(b.id()) && (removed == null || b.registeredAt().isAfter(removed))) {
                insert.add(b);
            }
        }
        return insert;
    }

    /**
     * Deletes the rows of removed bindings (id → AOR key) and records the removals with this
     * stamp for the other nodes. Run inside a transaction.
     */
    public void delete(Map<UUID, String> removed, long stamp, UUID node, Instant now) {
        if (removed.isEmpty()) {
            return;
        }
        List<Map.Entry<UUID, String>> rows = new ArrayList<>(removed.entrySet());
        template.batchUpdate("DELETE FROM binding WHERE id = ?", rows, rows.size(),
                (ps, r) -> ps.setObject(1, r.getKey()));
        template.batchUpdate("INSERT INTO binding_removal (stamp, id, aor, node, removed_at) VALUES (?, ?, ?, ?, ?)",
                rows, rows.size(), (ps, r) -> {
                    ps.setLong(1, stamp);
                    ps.setObject(2, r.getKey());
                    ps.setString(3, r.getValue());
                    ps.setObject(4, node);
                    ps.setObject(5, Timestamps.sql(now));
                });
    }

    /**
     * Deletes the rows of every contact of these AORs registered until the given time (an
     * un-REGISTER with {@code *}, a forced de-registration), whichever node wrote them, and records
     * each as a removal of {@link LocationStore#everyContactOf} the AOR for the other nodes. Run
     * inside a transaction.
     */
    public void deleteEveryContact(Map<String, Instant> aors, long stamp, UUID node) {
        if (aors.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Instant>> rows = new ArrayList<>(aors.entrySet());
        template.batchUpdate("DELETE FROM binding WHERE aor = ? AND registered_at <= ?", rows, rows.size(),
                (ps, r) -> {
                    ps.setString(1, r.getKey());
                    ps.setObject(2, Timestamps.sql(r.getValue()));
                });
        template.batchUpdate("INSERT INTO binding_removal (stamp, id, aor, node, removed_at) VALUES (?, ?, ?, ?, ?)",
                rows, rows.size(), (ps, r) -> {
                    ps.setLong(1, stamp);
                    ps.setObject(2, LocationStore.everyContactOf(r.getKey()));
                    ps.setString(3, r.getKey());
                    ps.setObject(4, node);
                    ps.setObject(5, Timestamps.sql(r.getValue()));
                });
    }

    /**
     * What nodes other than {@code node} wrote with stamps in {@code (after, upTo]}: bindings in
     * their current state and removals, in stamp order.
     */
    public List<LocationStore.Remote> changesSince(long after, long upTo, UUID node) {
        record Stamped(long stamp, LocationStore.Remote change) {
        }
        List<Stamped> out = new ArrayList<>();
        jdbc.sql("SELECT * FROM binding WHERE stamp > ? AND stamp <= ? AND node <> ?").params(after, upTo, node)
                .query((rs, n) -> {
                    Binding b = map(rs, n);
                    return new Stamped(rs.getLong("stamp"), new LocationStore.Remote(b.id(), b.aor(), Optional.of(b)));
                }).list().forEach(out::add);
        jdbc.sql("SELECT stamp, id, aor, removed_at FROM binding_removal WHERE stamp > ? AND stamp <= ? AND node <> ?")
                .params(after, upTo, node)
                .query((rs, n) -> new Stamped(rs.getLong("stamp"), new LocationStore.Remote(
                        rs.getObject("id", UUID.class), rs.getString("aor"), Optional.empty(),
                        Timestamps.read(rs, "removed_at"))))
                .list().forEach(out::add);
        out.sort(Comparator.comparingLong(Stamped::stamp));
        return out.stream().map(Stamped::change).toList();
    }

    /** Forgets removals recorded before {@code before}. */
    public int purgeRemovals(Instant before) {
        return jdbc.sql("DELETE FROM binding_removal WHERE removed_at < ?").param(Timestamps.sql(before)).update();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** {@code n} parameter marks for an {@code IN (...)} list. */
    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void setRow(PreparedStatement ps, Binding b, long stamp, UUID node) throws SQLException {
        ps.setString(1, b.contact());
        ps.setInt(2, b.qMillis());
        ps.setObject(3, Timestamps.sql(b.expiresAt()));
        ps.setString(4, b.callId());
        ps.setLong(5, b.cseq());
        ps.setString(6, b.source());
        ps.setString(7, b.transport());
        setNullable(ps, 8, b.userAgent());
        setNullable(ps, 9, b.instance());
        if (b.regId().isPresent()) {
            ps.setInt(10, b.regId().get());
        } else {
            ps.setNull(10, Types.INTEGER);
        }
        setNullable(ps, 11, b.path().isEmpty() ? Optional.empty() : Optional.of(String.join(PATH_SEPARATOR, b.path())));
        ps.setObject(12, Timestamps.sql(b.registeredAt()));
        ps.setLong(13, stamp);
        ps.setObject(14, node);
        ps.setObject(15, b.id());
    }

    private static void setNullable(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    private static Binding map(ResultSet rs, int row) throws SQLException {
        String contact = rs.getString("contact");
        String path = rs.getString("path");
        Object regId = rs.getObject("reg_id");
        return new Binding(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("user_id", UUID.class), rs.getString("aor"), contact, ContactKeys.of(contact),
                rs.getInt("q"), Timestamps.read(rs, "expires_at"), rs.getString("call_id"), rs.getLong("cseq"),
                rs.getString("source"), rs.getString("transport"), Optional.ofNullable(rs.getString("user_agent")),
                Optional.ofNullable(rs.getString("instance")),
                Optional.ofNullable(regId == null ? null : ((Number) regId).intValue()),
                path == null ? List.of() : Arrays.asList(path.split(PATH_SEPARATOR)),
                Timestamps.read(rs, "registered_at"));
    }
}
