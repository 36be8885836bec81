using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace SkillsHub.Server.Hosting;

/// <summary>The key ring's XML elements as rows of <c>skillshub.data_protection_keys</c>.</summary>
sealed class DataProtectionKeyStore(NpgsqlDataSource db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = db.OpenConnection();
        using var command = new NpgsqlCommand("select xml from skillshub.data_protection_keys order by created_at, friendly_name", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = db.OpenConnection();
        using var command = new NpgsqlCommand("insert into skillshub.data_protection_keys (friendly_name, xml) values ($1, $2) on conflict (friendly_name) do nothing", connection);
        command.Parameters.AddWithValue(friendlyName);
        command.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
