package dev.switchboard.device.basip;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The shapes of the BAS-IP calls for the OpenAPI document (seeds 000 and 001, SPEC 3.2). The
 * controller reads and writes these bodies by hand, to give the seeds' exact refusals, so
 * springdoc cannot infer them.
 */
final class BasIpDocs {

    private BasIpDocs() {
    }

    @Schema(name = "BasIpLogin")
    record Login(@Schema(description = "40 hex digits; send it as Authorization: Bearer") String token,
                 @Schema(allowableValues = {"admin", "user"}) String accountType) {
    }

    @Schema(name = "BasIpSipSettings", description = "SIP account 1 of the caller's tenant")
    record Settings(
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "sip:sip.example.com:5060",
                    description = "sip: + host + optional :port") String proxy,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "sip.example.com",
                    description = "host + optional :port") String realm,
            @Schema(requiredMode = RequiredMode.REQUIRED, example = "101", minLength = 1, maxLength = 31) String user,
            @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 6, maxLength = 31,
                    description = "Reads as WebPass once set; posting WebPass keeps the stored one") String password,
            @Schema(allowableValues = {"udp", "tcp", "tls"}, defaultValue = "udp") String transport,
            @Schema(maxLength = 31, description = "digest user name; empty: user") String userId,
            @Schema(requiredMode = RequiredMode.REQUIRED) Stun stun,
            @Schema(minimum = "30", maximum = "900", defaultValue = "300") Integer registrationInterval,
            @Schema(description = "empty, or host + optional :port of an outbound proxy") String outbound) {
    }

    @Schema(name = "BasIpStun")
    record Stun(@Schema(requiredMode = RequiredMode.REQUIRED, example = "stun.example.com") String ip,
                @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1", maximum = "65535", example = "3478")
                Integer port) {
    }

    @Schema(name = "BasIpSipStatus")
    record Status(@Schema(allowableValues = {"OK", "OFFLINE", "ERROR"}) String sipStatus,
                  @Schema(nullable = true, description = "Unix seconds of the last registration attempt")
                  Long registerLastAttempt) {
    }

    @Schema(name = "BasIpSipEnable")
    record Enable(@Schema(requiredMode = RequiredMode.REQUIRED) Boolean sipEnable) {
    }
}
