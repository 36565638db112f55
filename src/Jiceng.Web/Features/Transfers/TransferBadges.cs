using Jiceng.Domain.Transfers;

namespace Jiceng.Web.Features.Transfers;

/// <summary>Bootstrap badge colours of the transfer statuses, shared by the pages.</summary>
public static class TransferBadges
{
    public static string For(TransferStatus s) => s switch
    {
        TransferStatus.Completed => "bg-success",
        TransferStatus.Rejected or TransferStatus.Expired => "bg-danger",
        TransferStatus.Cancelled => "bg-secondary",
        _ => "bg-warning text-dark",
    };
}
