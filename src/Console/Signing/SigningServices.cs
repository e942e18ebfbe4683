using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Signing;

/// <summary>Signing case packages: the keys, and who signs.</summary>
public static class SigningServices
{
    public static WebApplicationBuilder AddSigning(this WebApplicationBuilder builder)
    {
        builder.Services.AddSection<SigningOptions>(builder.Configuration, SigningOptions.Section);
        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddSingleton<StatementSigner>();
        return builder;
    }
}
