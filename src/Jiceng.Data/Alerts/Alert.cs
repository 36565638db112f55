using Jiceng.Domain.Alerts;
using Jiceng.Domain.Organizations;

namespace Jiceng.Data.Alerts;

/// <summary>A stored alert (预警/待办). Open while its rule keeps firing; resolved by the engine
/// the first evaluation after the rule stops firing.</summary>
public class Alert : IOrgScoped
{
    public Guid Id { get; set; }
    public required string DedupKey { get; set; }
    public required string RuleCode { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public AlertSeverity Severity { get; set; }
    public required string Message { get; set; }
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    public DateOnly? DueOn { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
