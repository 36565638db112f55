namespace Jiceng.Data.Idempotency;

/// <summary>
/// The answer given to a request that carried an Idempotency-Key, so that a retry with the same key gets
/// the same answer instead of doing the work twice (draft-ietf-httpapi-idempotency-key-header). Keyed per
/// account and operation; <see cref="RequestHash"/> tells a retry from a different request reusing the key.
/// <see cref="StatusCode"/> 0 means the first request is still being processed.
/// </summary>
public class IdempotencyRecord
{
    public required string UserId { get; set; }
    public required string Operation { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public string? ResponseBody { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
