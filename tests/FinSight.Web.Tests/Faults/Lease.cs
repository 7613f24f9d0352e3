namespace FinSight.Web.Tests.Faults;

/// <summary>Runs a fixture's xUnit clean-up (<see cref="IAsyncLifetime.DisposeAsync"/>) at the end of an <c>await using</c>.</summary>
public sealed class Lease<T>(T value) : IAsyncDisposable where T : IAsyncLifetime
{
    public T App => value;

    public async ValueTask DisposeAsync() => await value.DisposeAsync();
}
