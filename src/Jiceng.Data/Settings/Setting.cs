namespace Jiceng.Data.Settings;

/// <summary>A stored value of a <see cref="Domain.Settings.SettingDefinition"/>; absent means the default.</summary>
public class Setting
{
    public required string Key { get; set; }
    public int Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
