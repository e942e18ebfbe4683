using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Auth;

/// <summary>
/// The data-protection key ring in PostgreSQL (provider <c>postgres</c>): every node reads and writes the same keys,
/// so a cookie sealed by one node opens on another. Keys arrive here already encrypted with the key-ring certificate,
/// which every node must share (<see cref="AuthOptions.DataProtectionCertificate"/>).
/// </summary>
public sealed class PostgresKeyRing(PostgresDatabase db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.Open();
        using var read = new NpgsqlCommand("SELECT xml FROM data_protection_keys ORDER BY stored_at, name", connection);
        using var reader = read.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.Open();
        // A key is written once under its own name; the same name twice is the same key.
        using var write = new NpgsqlCommand("INSERT INTO data_protection_keys (name, xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", connection);
        write.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        write.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        write.ExecuteNonQuery();
    }
}
