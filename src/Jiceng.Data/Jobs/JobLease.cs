namespace Jiceng.Data.Jobs;

/// <summary>A lease on a background job, so that of several app copies only one runs it at a time.</summary>
public class JobLease
{
    public required string Name { get; set; }
    public string? Holder { get; set; }
    public DateTimeOffset LeasedUntil { get; set; }
    public DateTimeOffset? LastRunAt { get; set; }
    public string? LastResult { get; set; }
}
