package dev.switchboard.trunk;

import dev.switchboard.auth.Caller;
import dev.switchboard.tenant.Tenant;
import dev.switchboard.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Yay.com-compatible trunk API (seed 002, SPEC 3.3). Wire format only: envelopes, field names and
 * status codes live here; rules live in {@link TrunkRules} and {@link TrunkService}.
 */
@RestController
@RequestMapping("/voip/trunk")
@Tag(name = "Yay trunks", description = "Yay.com-compatible SIP trunks and trunk authentication methods. "
        + "Every answer is the envelope {result, status_code, status_message} (400 adds errors[{field, message}]), "
        + "except 204, which has no body.")
@ApiResponse(responseCode = "400", description = "Invalid request: the envelope with errors")
@ApiResponse(responseCode = "401", description = "No valid token or X-Auth-* credentials")
@ApiResponse(responseCode = "403", description = "The caller's role may not manage trunks")
@ApiResponse(responseCode = "404", description = "No such trunk or method in the caller's tenant")
public class YayTrunkController {

    /**
     * Path ids are read by hand. Seed 002 and SPEC 3.3 give "400 malformed uuid" to one call only,
     * reading one method of a trunk; every other call answers a malformed id as the unknown one it
     * is (404), as their tables list only 404 for it.
     */
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final TrunkService trunks;
    private final YayTenants tenants;

    public YayTrunkController(TrunkService trunks, YayTenants tenants) {
        this.trunks = trunks;
        this.tenants = tenants;
    }

    @GetMapping
    @Operation(summary = "List the tenant's trunks with their authentication methods")
    @ApiResponse(responseCode = "200", description = "The envelope with the result",
            content = @Content(schema = @Schema(implementation = YayDocs.TrunkListEnvelope.class)))
    public ResponseEntity<Object> list(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
        Tenant tenant = tenants.of(caller, request);
        return YayEnvelope.ok(HttpStatus.OK, trunks.list(tenant.id()).stream().map(YayViews::of).toList());
    }

    @PostMapping
    @Operation(summary = "Create a trunk")
    @ApiResponse(responseCode = "201", description = "Created: the envelope with the new trunk",
            content = @Content(schema = @Schema(implementation = YayDocs.TrunkEnvelope.class)))
    public ResponseEntity<Object> create(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                         @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                                                 content = @Content(mediaType = "application/json",
                                                         schema = @Schema(implementation = YayDocs.TrunkRequest.class)))
                                         @RequestBody(required = false) JsonNode body) {
        Tenant tenant = tenants.of(caller, request);
        YayViews.TrunkView created = YayViews.of(trunks.create(tenant.id(), YayRequests.trunk(body)));
        return YayEnvelope.created("/voip/trunk/" + created.uuid(), created);
    }

    @GetMapping("/{uuid}")
    @Operation(summary = "Read a trunk")
    @ApiResponse(responseCode = "200", description = "The envelope with the result",
            content = @Content(schema = @Schema(implementation = YayDocs.TrunkEnvelope.class)))
    public ResponseEntity<Object> get(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                      @PathVariable String uuid) {
        Tenant tenant = tenants.of(caller, request);
        return YayEnvelope.ok(HttpStatus.OK, YayViews.of(trunks.get(tenant.id(), known(uuid))));
    }

    @PutMapping("/{uuid}")
    @Operation(summary = "Replace a trunk", description = "The whole object is replaced; omitted fields take "
            + "their defaults (port 5060, transport udp, user %e164). Authentication methods are kept.")
    @ApiResponse(responseCode = "200", description = "The envelope with the replaced trunk",
            content = @Content(schema = @Schema(implementation = YayDocs.TrunkEnvelope.class)))
    public ResponseEntity<Object> replace(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                          @PathVariable String uuid,
                                          @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                                                  content = @Content(mediaType = "application/json",
                                                          schema = @Schema(
                                                                  implementation = YayDocs.TrunkRequest.class)))
                                          @RequestBody(required = false) JsonNode body) {
        Tenant tenant = tenants.of(caller, request);
        UUID id = known(uuid);
        // 404 for a trunk that is not there (or another tenant's) before judging the body.
        trunks.requireTrunk(tenant.id(), id);
        return YayEnvelope.ok(HttpStatus.OK, YayViews.of(trunks.replace(tenant.id(), id, YayRequests.trunk(body))));
    }

    @DeleteMapping("/{uuid}")
    @Operation(summary = "Delete a trunk and its authentication methods")
    @ApiResponse(responseCode = "204", description = "Deleted; no body")
    public ResponseEntity<Object> delete(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                         @PathVariable String uuid) {
        Tenant tenant = tenants.of(caller, request);
        trunks.delete(tenant, known(uuid));
        return YayEnvelope.noContent();
    }

    @GetMapping("/{uuid}/auth")
    @Operation(summary = "List a trunk's authentication methods")
    @ApiResponse(responseCode = "200", description = "The envelope with the result",
            content = @Content(schema = @Schema(implementation = YayDocs.MethodListEnvelope.class)))
    public ResponseEntity<Object> methods(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                          @PathVariable String uuid) {
        Tenant tenant = tenants.of(caller, request);
        return YayEnvelope.ok(HttpStatus.OK,
                trunks.methods(tenant.id(), known(uuid)).stream().map(YayViews::of).toList());
    }

    @GetMapping("/{uuid}/auth/{auth_uuid}")
    @Operation(summary = "Read one authentication method of a trunk")
    @ApiResponse(responseCode = "200", description = "The envelope with the result",
            content = @Content(schema = @Schema(implementation = YayDocs.MethodEnvelope.class)))
    public ResponseEntity<Object> method(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                         @PathVariable String uuid, @PathVariable("auth_uuid") String authUuid) {
        Tenant tenant = tenants.of(caller, request);
        UUID trunk = id("uuid", uuid);
        UUID auth = id("auth_uuid", authUuid);
        return YayEnvelope.ok(HttpStatus.OK, YayViews.of(trunks.method(tenant.id(), trunk, auth)));
    }

    @PostMapping("/{uuid}/auth")
    @Operation(summary = "Add an authentication method (ip or sipuser) to a trunk",
            description = "It takes effect on SIP traffic at once. The password is write-only.")
    @ApiResponse(responseCode = "201", description = "Created: the envelope with the new method",
            content = @Content(schema = @Schema(implementation = YayDocs.MethodEnvelope.class)))
    @ApiResponse(responseCode = "409", description = "The method exists, its username is taken, or its address "
            + "overlaps another trunk's")
    public ResponseEntity<Object> addMethod(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                            @PathVariable String uuid,
                                            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                                                    content = @Content(mediaType = "application/json",
                                                            schema = @Schema(
                                                                    implementation = YayDocs.MethodRequest.class)))
                                            @RequestBody(required = false) JsonNode body) {
        Tenant tenant = tenants.of(caller, request);
        UUID trunk = known(uuid);
        YayViews.MethodView created = YayViews.of(trunks.addMethod(tenant, trunk, YayRequests.method(body)));
        return YayEnvelope.created("/voip/trunk/" + trunk + "/auth/" + created.uuid(), created);
    }

    @DeleteMapping("/{uuid}/auth/{auth_uuid}")
    @Operation(summary = "Delete an authentication method of a trunk")
    @ApiResponse(responseCode = "204", description = "Deleted; no body")
    public ResponseEntity<Object> deleteMethod(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                               @PathVariable String uuid,
                                               @PathVariable("auth_uuid") String authUuid) {
        Tenant tenant = tenants.of(caller, request);
        UUID trunk = known(uuid);
        UUID auth = known(authUuid);
        trunks.deleteMethod(tenant, trunk, auth);
        return YayEnvelope.noContent();
    }

    /** An id that is malformed names nothing: 404, as an unknown one. */
    private static UUID known(String text) {
        return uuid(text).orElseThrow(() -> ApiException.notFound("trunk or method"));
    }

    /** An id that must be well-formed: 400 naming the field. */
    private static UUID id(String field, String text) {
        return uuid(text).orElseThrow(() -> InvalidFields.of(field, field + " must be a UUID"));
    }

    private static Optional<UUID> uuid(String text) {
        return UUID_TEXT.matcher(text).matches() ? Optional.of(UUID.fromString(text)) : Optional.empty();
    }

}
