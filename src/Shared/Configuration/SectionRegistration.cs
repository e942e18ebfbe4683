using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServiceHall.Shared.Configuration;

/// <summary>One options class bound to one configuration section, as <see cref="SectionRegistration.AddSection{TOptions}"/> registered it.</summary>
public sealed record OptionsSection(Type OptionsType, string Section);

/// <summary>Registers an options class the one way every section is registered: bound, validated, checked at start.</summary>
public static class SectionRegistration
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/>, validates its data annotations and
    /// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> rules at start (failures named by key), and
    /// records the section so <see cref="OptionsCheck.Failures(IServiceProvider)"/> checks it with every other.
    /// </summary>
    public static OptionsBuilder<TOptions> AddSection<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddSingleton(new OptionsSection(typeof(TOptions), section));
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
