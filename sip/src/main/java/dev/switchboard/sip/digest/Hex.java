package dev.switchboard.sip.digest;

/** Checks of hexadecimal values (nc, response), the form every digest value takes on the wire. */
final class Hex {

    private Hex() {
    }

    static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
