namespace FinSight.Web.Tests.Infrastructure;

/// <summary>The reference data kept beside the repository in ../shared/data (never copied into it).</summary>
public static class SharedData
{
    public static string Folder(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FinSight.slnx")))
            {
                var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", name));
                return Directory.Exists(folder)
                    ? folder
                    : throw new DirectoryNotFoundException($"{folder} is missing: the tests read reference data from ../shared/data beside the repository.");
            }
        }
        throw new DirectoryNotFoundException("Could not find the repository root (FinSight.slnx) above the test binaries.");
    }
}
