namespace FinSight.Web.Infrastructure;

/// <summary>
/// The folder for FinSight's own files: the SQLite database and, in Development, the generated
/// token signing key. <c>FinSight:DataDirectory</c>, relative to the content root unless absolute.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["FinSight:DataDirectory"];
        Path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, environment.ContentRootPath);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
}
