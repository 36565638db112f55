using Jiceng.Web.Infrastructure;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace Jiceng.Web.Tests;

public class ReportGateTests
{
    private static ReportGate Gate(int? slots) => new(Options.Create(new JicengOptions { ReportConcurrency = slots }));

    [Fact]
    public async Task A_report_beyond_the_bound_waits_until_one_ends_and_they_go_in_arrival_order()
    {
        var gate = Gate(2);
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = await gate.EnterAsync(CancellationToken.None);
        var third = gate.EnterAsync(CancellationToken.None).AsTask();
        var fourth = gate.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        (third.IsCompleted, fourth.IsCompleted).ShouldBe((false, false));

        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        second.Dispose();
        (await fourth.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        // Every slot is back: two enter at once again.
        using var a = await gate.EnterAsync(CancellationToken.None);
        using var b = await gate.EnterAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_abandoned_request_stops_waiting_and_takes_no_slot()
    {
        var gate = Gate(1);
        var held = await gate.EnterAsync(CancellationToken.None);
        using var abandon = new CancellationTokenSource();
        var waiting = gate.EnterAsync(abandon.Token).AsTask();
        await abandon.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(waiting);
        held.Dispose();
        var next = gate.EnterAsync(CancellationToken.None).AsTask();
        (await next.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task Without_a_setting_at_least_two_reports_compute_at_once(int? setting)
    {
        var gate = Gate(setting);
        using var a = await gate.EnterAsync(CancellationToken.None);
        var b = gate.EnterAsync(CancellationToken.None).AsTask();
        (await b.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
