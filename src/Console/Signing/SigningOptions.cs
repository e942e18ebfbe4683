using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Signing;

/// <summary>How the Console signs case packages (section <c>Signing</c>); keys live in <see cref="Storage.StorageOptions.SigningRoot"/>.</summary>
public sealed class SigningOptions : IValidatableObject
{
    public const string Section = "Signing";

    /// <summary>Who signs, as every signature says: the name of this Console (the city or centre that runs it).</summary>
    public string SignerName { get; set; } = "ServiceHall Console";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SignerName) || SignerName.Length > 200 || SignerName.Any(char.IsControl))
        {
            yield return new ValidationResult("Signing:SignerName must be 1 to 200 characters on one line", [nameof(SignerName)]);
        }
    }
}
