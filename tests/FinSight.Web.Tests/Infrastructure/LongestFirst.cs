using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("FinSight.Web.Tests.Infrastructure.LongestFirst", "FinSight.Web.Tests")]

namespace FinSight.Web.Tests.Infrastructure;

/// <summary>
/// Starts the test class with the longest chain of tests first, then the rest in xunit's own order.
/// A class runs its tests one after another while classes share the cores, so the browser flows
/// (six tests on one browser and app), started where xunit's order put them, ended the run alone.
/// Only that one: starting every slow class at once crowds the cores with browsers and app
/// processes until their waits time out on a busy machine.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private static readonly string[] Slowest = ["Browser.UiFlowTests"];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        new DefaultTestCollectionOrderer().OrderTestCollections(testCollections).OrderBy(Rank);

    private static int Rank(ITestCollection collection)
    {
        // A class's own collection is named after it (xunit's collection-per-class default).
        var index = Array.FindIndex(Slowest, name => collection.DisplayName == "Test collection for FinSight.Web.Tests." + name);
        return index < 0 ? Slowest.Length : index;
    }
}
