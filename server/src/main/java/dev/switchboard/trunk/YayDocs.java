package dev.switchboard.trunk;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;

/**
 * The shapes of the Yay trunk calls for the OpenAPI document (seed 002, SPEC 3.3). The controller
 * reads the bodies as JSON trees, to name the field at fault in the seed's errors list, so
 * springdoc cannot infer them.
 */
final class YayDocs {

    private YayDocs() {
    }

    @Schema(name = "YayTrunkRequest", description = "A whole trunk: omitted fields take their defaults")
    record TrunkRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "Main carrier") String name,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "sip.carrier.example.net") String domain,
            @Schema(defaultValue = "5060", minimum = "1", maximum = "65535") Integer port,
            @Schema(allowableValues = {"udp", "tcp", "tls"}, defaultValue = "udp") String transport,
            @Schema(defaultValue = "%e164", description = "user part template: %e164, %number, %user, text")
            String user) {
    }

    @Schema(name = "YayAuthRequest", description = "An authentication method of a trunk")
    record MethodRequest(
            @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"ip", "sipuser"}) String type,
            @Schema(description = "IPv4/IPv6 address or CIDR range; required for ip, optional for sipuser")
            String ip,
            @Schema(description = "SIP user part; required for sipuser") String username,
            @Schema(description = "8–64 characters; required for sipuser; write-only") String password) {
    }

    @Schema(name = "YayAuth")
    record Method(String uuid, String type, String ip, String username,
                  @Schema(description = "\"********\" for sipuser, \"\" for ip") String password,
                  @Schema(example = "2026-12-07") String createdOn, @Schema(example = "2026-12-07") String updatedOn) {
    }

    @Schema(name = "YayTrunk")
    record Trunk(String uuid, String name, String domain, int port, String transport, String user,
                 List<Method> auth, @Schema(example = "2026-12-07") String createdOn,
                 @Schema(example = "2026-12-07") String updatedOn) {
    }

    @Schema(name = "YayTrunkEnvelope")
    record TrunkEnvelope(Trunk result, int statusCode, String statusMessage) {
    }

    @Schema(name = "YayTrunkListEnvelope")
    record TrunkListEnvelope(@ArraySchema(schema = @Schema(implementation = Trunk.class)) List<Trunk> result,
                             int statusCode, String statusMessage) {
    }

    @Schema(name = "YayAuthEnvelope")
    record MethodEnvelope(Method result, int statusCode, String statusMessage) {
    }

    @Schema(name = "YayAuthListEnvelope")
    record MethodListEnvelope(@ArraySchema(schema = @Schema(implementation = Method.class)) List<Method> result,
                              int statusCode, String statusMessage) {
    }
}
