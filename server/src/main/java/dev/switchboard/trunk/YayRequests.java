package dev.switchboard.trunk;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads Yay request bodies field by field, so every wrong type is named in {@code errors}. Unknown
 * fields (uuid, auth, created_on of a GET → PUT round trip) are ignored; null counts as omitted.
 */
final class YayRequests {

    private YayRequests() {
    }

    static TrunkRules.TrunkInput trunk(JsonNode body) {
        List<InvalidFields.FieldError> errors = new ArrayList<>();
        requireObject(body);
        var input = new TrunkRules.TrunkInput(text(body, "name", errors), text(body, "domain", errors),
                integer(body, "port", errors), text(body, "transport", errors), text(body, "user", errors));
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return input;
    }

    static TrunkRules.MethodInput method(JsonNode body) {
        List<InvalidFields.FieldError> errors = new ArrayList<>();
        requireObject(body);
        var input = new TrunkRules.MethodInput(text(body, "type", errors), text(body, "ip", errors),
                text(body, "username", errors), text(body, "password", errors));
        if (!errors.isEmpty()) {
            throw new InvalidFields(errors);
        }
        return input;
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw InvalidFields.of("body", "the request body must be a JSON object");
        }
    }

    private static String text(JsonNode body, String field, List<InvalidFields.FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            errors.add(new InvalidFields.FieldError(field, field + " must be a string"));
            return null;
        }
        return v.asString();
    }

    private static Integer integer(JsonNode body, String field, List<InvalidFields.FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            errors.add(new InvalidFields.FieldError(field, field + " must be an integer"));
            return null;
        }
        return v.asInt();
    }
}
