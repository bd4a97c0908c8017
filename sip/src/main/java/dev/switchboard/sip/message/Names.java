package dev.switchboard.sip.message;

/** Shared strings for the parameter names seen in nearly every message, so parsing does not allocate them. */
final class Names {
    private Names() {}

    private static final String[] COMMON = {"branch", "tag", "rport", "received", "expires", "transport", "lr",
        "maddr", "ttl", "q", "user", "method", "ob", "reg-id", "+sip.instance", "gr", "comp", "sigcomp-id",
        "alias", "keep", "pub-gruu", "temp-gruu", "phone-context"};
    private static final String[][] BY_LENGTH = new String[32][];

    static {
        for (String s : COMMON) {
            String[] old = BY_LENGTH[s.length()];
            String[] now = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = s;
            BY_LENGTH[s.length()] = now;
        }
    }

    static String param(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 32) {
            String[] candidates = BY_LENGTH[n];
            if (candidates != null) {
                for (String s : candidates) {
                    if (same(b, from, s)) return s;
                }
            }
        }
        return Lex.ascii(b, from, to);
    }

    private static boolean same(byte[] b, int from, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) return false;
        }
        return true;
    }
}
