using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServiceHall.Shared.Configuration;

/// <summary>Runs an options class's data annotations and <see cref="IValidatableObject"/>, naming each failure by its configuration key.</summary>
public sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (results.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r => Describe(r)));
    }

    private string Describe(ValidationResult result)
    {
        var member = result.MemberNames.FirstOrDefault();
        var message = result.ErrorMessage ?? "is invalid";
        // IValidatableObject messages already start with their key; attribute messages get it here.
        return member is null || message.StartsWith(section + ":", StringComparison.Ordinal)
            ? message
            : $"{section}:{member}: {message}";
    }
}

/// <summary>Start-up check of every options class, so one run reports every bad key at once.</summary>
public static class OptionsCheck
{
    /// <summary>Resolves every options class registered with <see cref="SectionRegistration.AddSection{TOptions}"/> and returns all validation failures.</summary>
    public static IReadOnlyList<string> Failures(IServiceProvider services) =>
        Failures(services, [.. services.GetServices<OptionsSection>().Select(s => s.OptionsType)]);

    /// <summary>Resolves each options type and returns all validation failures.</summary>
    public static IReadOnlyList<string> Failures(IServiceProvider services, params Type[] optionTypes)
    {
        var failures = new List<string>();
        foreach (var type in optionTypes)
        {
            try
            {
                var accessor = services.GetService(typeof(IOptions<>).MakeGenericType(type));
                _ = accessor?.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor);
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is OptionsValidationException invalid)
            {
                failures.AddRange(invalid.Failures);
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is InvalidOperationException unbindable)
            {
                // The binder's own message names the key and the value it could not convert.
                failures.Add(unbindable.Message);
            }
        }

        return failures;
    }
}
