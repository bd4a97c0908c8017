package dev.switchboard.sip.message;

import java.nio.charset.StandardCharsets;

/** Shared strings for the names seen in nearly every message, so parsing does not allocate them. */
final class Names {
    private Names() {}

    private static final String[] PARAMS = {"branch", "tag", "rport", "received", "expires", "transport", "lr",
        "maddr", "ttl", "q", "user", "method", "ob", "reg-id", "+sip.instance", "gr", "comp", "sigcomp-id",
        "alias", "keep", "pub-gruu", "temp-gruu", "phone-context"};
    /** Option tags of Supported and Require (RFC 3261 §19.2 and the extensions registered with IANA). */
    private static final String[] OPTION_TAGS = {"path", "gruu", "outbound", "replaces", "timer", "100rel",
        "norefersub", "eventlist", "precondition", "tdialog", "join", "histinfo", "from-change", "answermode",
        "199", "record-aware", "siprec", "explicitsub", "nosub", "sec-agree", "resource-priority", "multiple-refer",
        "pref", "gin", "ice", "recipient-list-invite", "recipient-list-subscribe", "recipient-list-message"};

    private static final byte[][][] PARAMS_BY_LENGTH = table(PARAMS);
    private static final String[][] PARAM_STRINGS = strings(PARAMS);
    private static final byte[][][] TAGS_BY_LENGTH = table(OPTION_TAGS);
    private static final String[][] TAG_STRINGS = strings(OPTION_TAGS);

    private static String[][] strings(String[] words) {
        String[][] t = new String[32][];
        for (String s : words) {
            String[] old = t[s.length()];
            String[] now = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = s;
            t[s.length()] = now;
        }
        return t;
    }

    private static byte[][][] table(String[] words) {
        String[][] s = strings(words);
        byte[][][] t = new byte[32][][];
        for (int n = 0; n < 32; n++) {
            if (s[n] == null) continue;
            t[n] = new byte[s[n].length][];
            for (int i = 0; i < s[n].length; i++) t[n][i] = s[n][i].getBytes(StandardCharsets.US_ASCII);
        }
        return t;
    }

    static String param(byte[] b, int from, int to) {
        return lookup(PARAMS_BY_LENGTH, PARAM_STRINGS, b, from, to);
    }

    static String optionTag(byte[] b, int from, int to) {
        return lookup(TAGS_BY_LENGTH, TAG_STRINGS, b, from, to);
    }

    /** The shared string equal (case-sensitively) to the bytes in [from,to), or a new one. */
    private static String lookup(byte[][][] bytes, String[][] strings, byte[] b, int from, int to) {
        int n = to - from;
        if (n < 32) {
            byte[][] candidates = bytes[n];
            if (candidates != null) {
                for (int k = 0; k < candidates.length; k++) {
                    byte[] c = candidates[k];
                    int i = 0;
                    while (i < n && b[from + i] == c[i]) i++;
                    if (i == n) return strings[n][k];
                }
            }
        }
        return Lex.ascii(b, from, to);
    }
}
