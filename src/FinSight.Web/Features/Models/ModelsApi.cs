using FinSight.Sentiment.Transformers;
using FinSight.Web.Features.Settings;
using FinSight.Web.Infrastructure;
using FinSight.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FinSight.Web.Features.Models;

/// <summary>A model pull's progress; <c>percent</c> 0–100 and <c>seconds_left</c> when the total is known; speed in bytes per second.</summary>
public sealed record PullView(string Phase, string? File, long BytesDone, long? BytesTotal, double? Percent, double BytesPerSecond, double? SecondsLeft, string? Message)
{
    public static PullView? From(ModelPullProgress? p) => p is null ? null : new(
        p.Phase.ToString().ToLowerInvariant(), p.File, p.BytesDone, p.BytesTotal, p.Percent is { } pc ? Math.Round(pc, 1) : null,
        Math.Round(p.BytesPerSecond), p.Remaining is { } left ? Math.Round(left.TotalSeconds, 1) : null, p.Message);
}

/// <summary>One model as the Settings page lists it; <c>size_bytes</c> on disk when installed; <c>status</c> as shown there.</summary>
public sealed record ModelItemView(string Name, string Source, string? Revision, long? SizeBytes, string Status, bool InCatalog, bool InUse, PullView? Pull);

/// <summary>The engine in use and why it is not the configured one (<c>problem</c>), every model, and the relabelling of stored headlines.</summary>
public sealed record ModelsView(EngineInUse Engine, IReadOnlyList<ModelItemView> Models, RelabelStatus Relabel)
{
    public static ModelsView From(ModelsOverview o) => new(o.Engine,
        [.. o.Models.Select(m => new ModelItemView(m.Entry.Name, m.Entry.Source, m.Entry.Revision, m.Entry.SizeBytes, m.Status, m.Entry.InCatalog, m.InUse, PullView.From(m.Pull)))],
        o.Relabel);
}

/// <summary>The sentiment models for the instance admin, as on the Settings page (same service): list, install in the background, remove.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/api/models", "Models").RequireAuthorization();
        group.MapGet("/", List).WithName("ListModels")
            .WithSummary("The sentiment engine in use, the catalog and installed models with their download progress (instance admin)");
        group.MapPost("/{model}/install", Install).WithName("InstallModel")
            .WithSummary("Start downloading a catalog model in the background (202); poll GET /api/models for progress (instance admin)");
        group.MapDelete("/{model}", Remove).WithName("RemoveModel")
            .WithSummary("Remove an installed model; with Sentiment:Engine=auto the next best engine takes over (instance admin)");
        return app;
    }

    public static async Task<Results<Ok<ModelsView>, ProblemHttpResult>> List(SentimentModels models, UserSettingsService settings, CancellationToken ct) =>
        await settings.IsAdminAsync(ct) ? TypedResults.Ok(ModelsView.From(models.Overview())) : AdminOnly();

    public static async Task<Results<Accepted<ModelsView>, ProblemHttpResult>> Install(string model, SentimentModels models, UserSettingsService settings, CancellationToken ct)
    {
        if (!await settings.IsAdminAsync(ct))
        {
            return AdminOnly();
        }
        return models.Install(model) is { } problem ? problem.ToResult() : TypedResults.Accepted("/api/models", ModelsView.From(models.Overview()));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Remove(string model, SentimentModels models, UserSettingsService settings, CancellationToken ct)
    {
        if (!await settings.IsAdminAsync(ct))
        {
            return AdminOnly();
        }
        return models.Remove(model) is { } problem ? problem.ToResult() : TypedResults.NoContent();
    }

    private static ProblemHttpResult AdminOnly() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Only the instance administrator manages models", detail: "The first account created administers this instance's sentiment models.");
}
