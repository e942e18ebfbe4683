using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Cluster;

/// <summary>
/// How Console nodes share their live traffic (section <c>Cluster</c>). Empty <see cref="Redis"/>: one node, pushes
/// stay in this process. Set: SignalR messages go through Redis, so a browser on one node gets the push a Recorder
/// on another node caused, and a command to a Recorder reaches it whichever node it is connected to.
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary>
    /// StackExchange.Redis configuration of the backplane, e.g. <c>127.0.0.1:6379</c> (add <c>,password=...</c> through
    /// the environment variable <c>Cluster__Redis</c>, not a settings file).
    /// </summary>
    public string Redis { get; set; } = "";

    /// <summary>Prefix of the backplane's Redis channels: nodes of one city share it; another city on the same Redis needs its own.</summary>
    [Required]
    [RegularExpression("^[a-z0-9-]{1,40}$", ErrorMessage = "ChannelPrefix must be 1 to 40 lower-case letters, digits or dashes.")]
    public string ChannelPrefix { get; set; } = "servicehall";

    public bool UsesRedis => Redis.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesRedis)
        {
            string? problem = null;
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(Redis);
            }
            catch (ArgumentException ex)
            {
                problem = ex.Message;
            }

            if (problem is not null)
            {
                yield return new ValidationResult($"Redis is not a Redis configuration: {problem}", [nameof(Redis)]);
            }
        }
    }
}
