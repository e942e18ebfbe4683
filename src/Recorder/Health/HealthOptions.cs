using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Recorder.Health;

/// <summary>Tamper detection on the analysis frames (section <c>Health</c>).</summary>
public sealed class HealthOptions : IValidatableObject
{
    public const string Section = "Health";

    public bool TamperDetection { get; set; } = true;

    /// <summary>A tamper condition must hold this long (video time) to be reported, and be gone this long to clear.</summary>
    public TimeSpan TamperDebounce { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Covered or black: mean brightness (0..255) below this with little contrast.</summary>
    public double CoveredMaxBrightness { get; set; } = 30;

    /// <summary>Covered: contrast (standard deviation of brightness) below this, whatever the brightness.</summary>
    public double CoveredMaxContrast { get; set; } = 8;

    /// <summary>Blurred: sharpness (variance of the Laplacian) below this share of the reference view's.</summary>
    public double BlurredMaxSharpnessRatio { get; set; } = 0.2;

    /// <summary>Moved: correlation with the reference view (-1..1) below this.</summary>
    public double MovedMaxCorrelation { get; set; } = 0.5;

    /// <summary>Normal frames averaged into the reference view when a camera starts.</summary>
    public int ReferenceFrames { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TamperDebounce < TimeSpan.Zero || TamperDebounce > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"Health:TamperDebounce {TamperDebounce} must be between 00:00:00 and 01:00:00.", [nameof(TamperDebounce)]);
        }

        if (CoveredMaxBrightness is < 0 or > 255 || CoveredMaxContrast is < 0 or > 128)
        {
            yield return new ValidationResult("Health:CoveredMaxBrightness must be 0..255 and Health:CoveredMaxContrast 0..128.", [nameof(CoveredMaxBrightness)]);
        }

        if (BlurredMaxSharpnessRatio is <= 0 or >= 1)
        {
            yield return new ValidationResult($"Health:BlurredMaxSharpnessRatio {BlurredMaxSharpnessRatio} must be between 0 and 1.", [nameof(BlurredMaxSharpnessRatio)]);
        }

        if (MovedMaxCorrelation is <= -1 or >= 1)
        {
            yield return new ValidationResult($"Health:MovedMaxCorrelation {MovedMaxCorrelation} must be between -1 and 1.", [nameof(MovedMaxCorrelation)]);
        }

        if (ReferenceFrames is < 1 or > 100)
        {
            yield return new ValidationResult($"Health:ReferenceFrames {ReferenceFrames} must be between 1 and 100.", [nameof(ReferenceFrames)]);
        }
    }
}
