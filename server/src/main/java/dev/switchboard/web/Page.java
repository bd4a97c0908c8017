package dev.switchboard.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of a cursor-paginated listing: pass {@code next} as {@code after} to get the following page. */
public record Page<T>(List<T> items,
                      @Schema(nullable = true, description = "pass as `after` for the next page; null on the last")
                      String next) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** Validates a requested page size. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
