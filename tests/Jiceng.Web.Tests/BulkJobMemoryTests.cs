using Jiceng.Web.Infrastructure;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit;

namespace Jiceng.Web.Tests;

public class BulkJobMemoryTests
{
    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }

    [Fact]
    public void The_threshold_is_inclusive()
    {
        BulkJobMemory.Warrants(BulkJobMemory.MinAllocatedBytes - 1).ShouldBeFalse();
        BulkJobMemory.Warrants(BulkJobMemory.MinAllocatedBytes).ShouldBeTrue();
    }

    [Fact]
    public void A_small_job_collects_nothing()
    {
        var log = new ListLogger();
        using (BulkJobMemory.Track(log, "small")) _ = new byte[1024];
        log.Lines.ShouldBeEmpty();
    }

    [Fact]
    public void A_job_that_allocated_the_threshold_collects_once_and_says_so()
    {
        var log = new ListLogger();
        var full = GC.CollectionCount(GC.MaxGeneration);
        using (BulkJobMemory.Track(log, "large"))
        {
            // 1 MiB arrays (each on the large object heap, dropped at once) until the threshold is passed.
            for (long allocated = 0; allocated < BulkJobMemory.MinAllocatedBytes; allocated += 1 << 20) _ = new byte[1 << 20];
        }
        log.Lines.ShouldHaveSingleItem().ShouldStartWith("large: ");
        log.Lines[0].ShouldContain("collected");
        GC.CollectionCount(GC.MaxGeneration).ShouldBeGreaterThan(full);
    }
}
