using Jiceng.Web.Infrastructure;
using Microsoft.Extensions.Logging;
using Shouldly;
using Xunit;

namespace Jiceng.Web.Tests;

/// <summary>Not run beside other tests: the allocations the tracker counts are the whole process's.</summary>
[CollectionDefinition(nameof(BulkJobMemoryTests), DisableParallelization = true)]
public class BulkJobMemoryCollection;

[Collection(nameof(BulkJobMemoryTests))]
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
    public void Both_thresholds_are_inclusive_and_both_are_needed()
    {
        const long input = BulkJobMemory.MinInputBytes, allocated = BulkJobMemory.MinAllocatedBytes;
        BulkJobMemory.Warrants(input, allocated).ShouldBeTrue();
        BulkJobMemory.Warrants(input - 1, allocated).ShouldBeFalse();
        BulkJobMemory.Warrants(input, allocated - 1).ShouldBeFalse();
        BulkJobMemory.Warrants(input - 1, long.MaxValue).ShouldBeFalse(); // a small import while others allocate a lot
    }

    private static void AllocateThreshold()
    {
        // 1 MiB arrays (each on the large object heap, dropped at once) until the threshold is passed.
        for (long allocated = 0; allocated < BulkJobMemory.MinAllocatedBytes; allocated += 1 << 20) _ = new byte[1 << 20];
    }

    [Fact]
    public void A_small_input_collects_nothing_however_much_was_allocated()
    {
        var log = new ListLogger();
        using (BulkJobMemory.Track(log, "small", BulkJobMemory.MinInputBytes - 1)) AllocateThreshold();
        log.Lines.ShouldBeEmpty();
    }

    [Fact]
    public void A_large_input_that_allocated_little_collects_nothing()
    {
        var log = new ListLogger();
        using (BulkJobMemory.Track(log, "quick", BulkJobMemory.MinInputBytes)) _ = new byte[1024];
        log.Lines.ShouldBeEmpty();
    }

    [Fact]
    public void A_large_job_collects_once_and_says_so()
    {
        var log = new ListLogger();
        using (BulkJobMemory.Track(log, "large", BulkJobMemory.MinInputBytes)) AllocateThreshold();
        log.Lines.ShouldHaveSingleItem().ShouldStartWith("large: ");
        log.Lines[0].ShouldContain("collected");
    }
}
