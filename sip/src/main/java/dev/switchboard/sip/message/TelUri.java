package dev.switchboard.sip.message;

/** A tel: URI (RFC 3966): the number as written and its parameters. */
public record TelUri(String number, Params params, String text) implements Uri {

    static TelUri parse(byte[] b, int from, int to, int start) {
        int p = start;
        while (p < to && isPhoneChar(b[p])) p++;
        if (p == start) throw ParseError.bad("empty tel number");
        String number = Lex.ascii(b, start, p);
        Params params = SipUri.parseUriParams(b, p, to);
        return new TelUri(number, params, Lex.ascii(b, from, to));
    }

    private static boolean isPhoneChar(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                || c == '+' || c == '-' || c == '.' || c == '(' || c == ')' || c == '*' || c == '#';
    }

    public boolean isGlobal() {
        return number.startsWith("+");
    }

    @Override
    public String scheme() {
        return "tel";
    }

    @Override
    public String toString() {
        return text;
    }
}
