package dev.switchboard.sip.message;

import java.util.Locale;

/** A Content-Type value: type, subtype (both lower case) and parameters. */
public record MediaType(String type, String subtype, Params params) {

    static MediaType parse(Cursor c) {
        c.skipLws();
        String type = c.token("media type").toLowerCase(Locale.ROOT);
        if (!c.sep('/')) throw ParseError.bad("expected '/' in media type");
        String subtype = c.token("media subtype").toLowerCase(Locale.ROOT);
        return new MediaType(type, subtype, Params.parseGeneric(c, "media type"));
    }

    /** Whether this is {@code type/subtype}, ignoring case and parameters. */
    public boolean is(String typeSlashSubtype) {
        int slash = typeSlashSubtype.indexOf('/');
        return slash > 0 && type.equalsIgnoreCase(typeSlashSubtype.substring(0, slash))
                && subtype.equalsIgnoreCase(typeSlashSubtype.substring(slash + 1));
    }

    @Override
    public String toString() {
        return type + "/" + subtype + params;
    }
}
