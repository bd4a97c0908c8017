package dev.switchboard.user;

import dev.switchboard.auth.Caller;
import dev.switchboard.web.ApiException;
import dev.switchboard.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Native API: users of a tenant. Passwords and SIP passwords are write-only. */
@RestController
@RequestMapping("/api/v2/tenants/{tenant}/users")
@Tag(name = "Users", description = "Native management API: users of a tenant (Admin of the tenant, SystemAdmin)")
public class UserController {

    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    /** A user as the API shows it: never a password or a digest. */
    public record UserView(UUID uuid, @Schema(nullable = true) UUID tenantUuid, String username, Role role,
                           @Schema(nullable = true) String email, @Schema(nullable = true) String extension,
                           boolean sipPasswordSet, boolean passwordForceReset, Instant createdAt,
                           Instant updatedAt) {
        static UserView of(User u) {
            return new UserView(u.id(), u.tenantId().orElse(null), u.username(), u.role(), u.email(), u.extension(),
                    u.hasSipPassword(), u.passwordForceReset(), u.createdAt(), u.updatedAt());
        }
    }

    /** Body of create and update; on update, fields left out keep their value. */
    public record UserRequest(String username, String password,
                              @Schema(allowableValues = {"Admin", "StandardUser"}) Role role, String email,
                              String extension, String sipPassword) {
        UserService.Changes changes() {
            return new UserService.Changes(username, password, role, email, extension, sipPassword);
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user in a tenant")
    public UserView create(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                           @RequestBody UserRequest request, jakarta.servlet.http.HttpServletResponse response) {
        caller.requireAdminOf(tenant);
        UserView created = UserView.of(users.create(tenant, request.changes()));
        // RFC 9110 §15.3.2: where the new resource is.
        response.setHeader(org.springframework.http.HttpHeaders.LOCATION,
                "/api/v2/tenants/" + tenant + "/users/" + created.uuid());
        return created;
    }

    @GetMapping
    @Operation(summary = "List the users of a tenant", description = "Cursor pagination: pass `next` as `after`.")
    public Page<UserView> list(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant,
                               @RequestParam(required = false) Integer limit,
                               @RequestParam(required = false) UUID after) {
        caller.requireAdminOf(tenant);
        int size = Page.limit(limit);
        List<User> page = users.page(tenant, after, size + 1);
        boolean more = page.size() > size;
        List<UserView> items = page.stream().limit(size).map(UserView::of).toList();
        return new Page<>(items, more ? items.get(items.size() - 1).uuid().toString() : null);
    }

    @GetMapping("/{user}")
    @Operation(summary = "Read a user", description = "A StandardUser may read only itself.")
    public UserView get(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant, @PathVariable UUID user) {
        requireSelfOrAdmin(caller, tenant, user);
        return UserView.of(users.find(tenant, user).orElseThrow(() -> ApiException.notFound("User")));
    }

    @PutMapping("/{user}")
    @Operation(summary = "Change a user", description = "Fields left out keep their value; an empty string clears "
            + "email, extension or sip_password. A new password or role ends the user's sessions.")
    public UserView update(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant, @PathVariable UUID user,
                           @RequestBody UserRequest request) {
        caller.requireAdminOf(tenant);
        return UserView.of(users.update(tenant, user, request.changes()));
    }

    @DeleteMapping("/{user}")
    @Operation(summary = "Delete a user; its sessions and bindings end")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@AuthenticationPrincipal Caller caller, @PathVariable UUID tenant, @PathVariable UUID user) {
        caller.requireAdminOf(tenant);
        users.delete(tenant, user);
    }

    private static void requireSelfOrAdmin(Caller caller, UUID tenant, UUID user) {
        caller.requireTenantVisible(tenant, "Tenant");
        if (caller.role() == Role.STANDARD_USER && !caller.userId().equals(user)) {
            throw ApiException.notFound("User");
        }
    }
}
