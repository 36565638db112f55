using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Jiceng.Web.Infrastructure;

/// <summary>Knows whether this DI scope is an interactive circuit (whatever the transport) and when its
/// user last did something in it, so the server can end a session after 15 idle minutes.</summary>
public sealed class CircuitActivity(TimeProvider clock) : CircuitHandler
{
    public bool InCircuit { get; private set; }
    public DateTimeOffset LastActivity { get; private set; } = clock.GetUtcNow();

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        InCircuit = true;
        LastActivity = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            LastActivity = clock.GetUtcNow();
            return next(context);
        };

    public bool IdleLongerThan(TimeSpan limit) => InCircuit && clock.GetUtcNow() - LastActivity > limit;
}
