using ExecutionLoops.Cli.Rendering;

namespace ExecutionLoops.Cli.Tests;

public sealed class PathCellTests
{
    [Fact]
    public void ALongPath_IsShortenedFromTheLeftAtAFolderBoundary()
    {
        var cell = PathCell.Of("src/Services/Ordering/Ordering.Infrastructure/Persistence/Ordering.Infrastructure.csproj", 48);

        cell.ShouldBe("…/Persistence/Ordering.Infrastructure.csproj");
        cell.Length.ShouldBeLessThanOrEqualTo(48);
    }

    [Fact]
    public void AShortPath_IsLeftAlone_AndEscapedForMarkup() =>
        PathCell.Of("src/[Legacy]/App.csproj").ShouldBe("src/[[Legacy]]/App.csproj");
}
