package dev.switchboard.sip.message;

/** One header line as received: its name as written and its value with line folding turned into spaces. */
public record Header(String name, String value) {
}
