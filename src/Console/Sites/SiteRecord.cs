namespace ServiceHall.Console.Sites;

/// <summary>A registered hall, as stored.</summary>
public sealed class SiteRecord
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string District { get; set; } = "";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public List<SiteKeyRecord> Keys { get; set; } = [];
}

/// <summary>One issued site key; only its SHA-256 is kept.</summary>
public sealed class SiteKeyRecord
{
    public string KeyId { get; set; } = "";

    public string Sha256 { get; set; } = "";

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
