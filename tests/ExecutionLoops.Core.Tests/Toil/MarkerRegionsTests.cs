using ExecutionLoops.Toil;

namespace ExecutionLoops.Core.Tests.Toil;

public sealed class MarkerRegionsTests
{
    [Fact]
    public void Replace_SwapsOnlyTheRegionsContentAndKeepsCrLf()
    {
        var text = "# Title\r\n<!-- loops:begin help -->\r\nold\r\n<!-- loops:end -->\r\nafter\r\n<!-- loops:begin other -->\r\nkeep\r\n<!-- loops:end -->\r\n";

        var replaced = MarkerRegions.Replace(text, "help", "new line 1\nnew line 2\n");

        replaced.ShouldBe("# Title\r\n<!-- loops:begin help -->\r\nnew line 1\r\nnew line 2\r\n<!-- loops:end -->\r\nafter\r\n<!-- loops:begin other -->\r\nkeep\r\n<!-- loops:end -->\r\n");
    }

    [Fact]
    public void Replace_IsIdempotent()
    {
        var once = MarkerRegions.Replace("a\n<!-- loops:begin x -->\n<!-- loops:end -->\nb\n", "x", "content")!;

        MarkerRegions.Replace(once, "x", "content").ShouldBe(once);
    }

    [Theory]
    [InlineData("no markers at all")]
    [InlineData("<!-- loops:begin x --> but no end")]
    [InlineData("<!-- loops:begin y -->\n<!-- loops:end -->")]
    public void Replace_WhenTheRegionIsMissing_ReturnsNull(string text) => MarkerRegions.Replace(text, "x", "c").ShouldBeNull();
}
