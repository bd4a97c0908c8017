package dev.switchboard.sip.message;

/** The CSeq header: sequence number (0 to 2^32-1) and method. */
public record CSeq(long number, String method) {

    static CSeq parse(byte[] b, int from, int to) {
        int p = from;
        long n = 0;
        while (p < to && b[p] >= '0' && b[p] <= '9') {
            n = n * 10 + (b[p++] - '0');
            if (n > 0xFFFFFFFFL) throw ParseError.bad("CSeq number too large");
        }
        if (p == from) throw ParseError.bad("CSeq without number");
        int s = p;
        while (p < to && Lex.isLws(b[p])) p++;
        if (p == s) throw ParseError.bad("CSeq without method");
        int m = p;
        while (p < to && Lex.is(b[p], Lex.TOKEN)) p++;
        if (p == m || p != to) throw ParseError.bad("bad CSeq method");
        return new CSeq(n, Methods.of(b, m, p));
    }

    @Override
    public String toString() {
        return number + " " + method;
    }
}
