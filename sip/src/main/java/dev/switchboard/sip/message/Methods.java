package dev.switchboard.sip.message;

/** Method names as interned strings, so callers may compare with {@code ==} as well as equals. */
public final class Methods {
    private Methods() {}

    public static final String INVITE = "INVITE";
    public static final String ACK = "ACK";
    public static final String BYE = "BYE";
    public static final String CANCEL = "CANCEL";
    public static final String REGISTER = "REGISTER";
    public static final String OPTIONS = "OPTIONS";
    public static final String INFO = "INFO";
    public static final String PRACK = "PRACK";
    public static final String UPDATE = "UPDATE";
    public static final String SUBSCRIBE = "SUBSCRIBE";
    public static final String NOTIFY = "NOTIFY";
    public static final String REFER = "REFER";
    public static final String MESSAGE = "MESSAGE";
    public static final String PUBLISH = "PUBLISH";

    private static final String[] KNOWN = {INVITE, ACK, BYE, CANCEL, REGISTER, OPTIONS, INFO, PRACK, UPDATE,
        SUBSCRIBE, NOTIFY, REFER, MESSAGE, PUBLISH};

    /** The method token in [from,to) (already validated), without allocating for the standard ones. */
    private static final String[][] BY_LENGTH = new String[16][];

    static {
        for (String k : KNOWN) {
            String[] old = BY_LENGTH[k.length()];
            String[] now = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = k;
            BY_LENGTH[k.length()] = now;
        }
    }

    static String of(byte[] b, int from, int to) {
        int n = to - from;
        String[] candidates = n < 16 ? BY_LENGTH[n] : null;
        if (candidates != null) {
            for (String k : candidates) {
                if (k.charAt(0) == b[from] && same(b, from, k)) return k;
            }
        }
        // extension methods are rare and short-lived; interning keeps == comparisons valid
        return Lex.ascii(b, from, to).intern();
    }

    private static boolean same(byte[] b, int from, String k) {
        for (int i = 1; i < k.length(); i++) {
            if (b[from + i] != k.charAt(i)) return false;
        }
        return true;
    }
}
