using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;

namespace ServiceHall.Console.Signing;

/// <summary>The public signing keys at a fixed URL anyone may read, and their rotation by an admin.</summary>
public static class SigningEndpoints
{
    public const string KeysPath = "/api/signing-keys";

    public static IEndpointRouteBuilder MapSigning(this IEndpointRouteBuilder app)
    {
        // Public keys are public: an inspector or a court fetches them without an account to check a package offline.
        app.MapGet(KeysPath, (SigningKeys keys) => TypedResults.Ok(keys.Published())).AllowAnonymous()
            .WithSummary("Every key this Console signs case packages with, retired ones included");

        app.MapPost("/api/admin/signing-keys/rotate", Ok<PublishedKey> (SigningKeys keys, AuditLog audit, CurrentUser user) =>
        {
            var key = keys.Rotate();
            audit.Append(user.Name, AuditActions.SigningKeyRotated, $"signing-key:{key.KeyId}", "previous key retired; its public key stays published");
            return TypedResults.Ok(key);
        }).RequireAuthorization(Policies.Admin).WithSummary("Retire the current signing key and start signing with a new one");
        return app;
    }
}
