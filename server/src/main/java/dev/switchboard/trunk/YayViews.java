package dev.switchboard.trunk;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/** Trunks and methods as the Yay surface shows them: dates {@code YYYY-MM-DD} (UTC), passwords masked. */
final class YayViews {

    /** What a sipuser method shows for its password: that one is set, never what it is. */
    static final String MASK = "********";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private YayViews() {
    }

    record TrunkView(UUID uuid, String name, String domain, int port, String transport, String user,
                     List<MethodView> auth, String createdOn, String updatedOn) {
    }

    record MethodView(UUID uuid, String type, String ip, String username, String password, String createdOn,
                      String updatedOn) {
    }

    static TrunkView of(TrunkService.TrunkWithMethods t) {
        Trunk trunk = t.trunk();
        return new TrunkView(trunk.id(), trunk.name(), trunk.domain(), trunk.port(), trunk.transport(),
                trunk.userFormat(), t.methods().stream().map(YayViews::of).toList(), day(trunk.createdAt()),
                day(trunk.updatedAt()));
    }

    static MethodView of(TrunkAuth m) {
        return new MethodView(m.id(), m.type().wire(), m.ipText(), m.username(),
                m.type() == TrunkAuth.Type.SIPUSER ? MASK : "", day(m.createdAt()), day(m.updatedAt()));
    }

    private static String day(Instant instant) {
        return DAY.format(instant);
    }
}
