package dev.switchboard.trunk;

import java.util.List;

/** A request refused for one or more fields; the Yay surface lists them as {@code errors: [{field, message}]}. */
public class InvalidFields extends RuntimeException {

    /** One refused field and why. */
    public record FieldError(String field, String message) {
    }

    private final List<FieldError> errors;

    public InvalidFields(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid request" : errors.get(0).message(), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public static InvalidFields of(String field, String message) {
        return new InvalidFields(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
