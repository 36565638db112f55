using Jiceng.Web.Infrastructure;
using Shouldly;
using Xunit;

namespace Jiceng.Web.Tests;

/// <summary>How the start-up line reads a runtime switch. Each test uses a switch name of its own, so the environment variables
/// it sets touch no other test and no runtime setting.</summary>
public class RuntimeSettingsTests
{
    private static bool WithEnvironment(string name, string? value, Func<bool> read)
    {
        Environment.SetEnvironmentVariable("DOTNET_" + name, value);
        try { return read(); }
        finally { Environment.SetEnvironmentVariable("DOTNET_" + name, null); }
    }

    [Fact]
    public void A_switch_is_on_unless_something_turns_it_off()
    {
        RuntimeSettings.Switch("JicengTestSwitchUnset", "Jiceng.Test.Switch.Unset").ShouldBeTrue();
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("0x0", false)]
    [InlineData(" 0 ", false)]
    [InlineData("1", true)]
    [InlineData("0x1", true)]
    [InlineData("A", true)]
    public void The_environment_is_read_as_the_runtime_reads_it_hexadecimal(string value, bool on)
    {
        var name = "JicengTestSwitchHex" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(value));
        WithEnvironment(name, value, () => RuntimeSettings.Switch(name, "Jiceng.Test.Switch.Hex")).ShouldBe(on);
    }

    [Fact]
    public void The_shipped_setting_counts_when_the_environment_has_none_or_one_the_runtime_cannot_read()
    {
        AppContext.SetData("Jiceng.Test.Switch.Shipped", "false");
        RuntimeSettings.Switch("JicengTestSwitchShipped", "Jiceng.Test.Switch.Shipped").ShouldBeFalse();
        WithEnvironment("JicengTestSwitchShipped", "false", () => RuntimeSettings.Switch("JicengTestSwitchShipped", "Jiceng.Test.Switch.Shipped"))
            .ShouldBeFalse();
        WithEnvironment("JicengTestSwitchShipped", "1", () => RuntimeSettings.Switch("JicengTestSwitchShipped", "Jiceng.Test.Switch.Shipped"))
            .ShouldBeTrue();
    }

    [Fact]
    public void The_line_names_the_collector_and_what_it_reports()
    {
        var line = RuntimeSettings.Describe();
        line.ShouldStartWith($"Runtime: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        line.ShouldContain($"{Environment.ProcessorCount} processors");
    }
}
