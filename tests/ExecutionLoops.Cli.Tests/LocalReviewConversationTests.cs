using System.Text.Json;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// The shared feedback scenarios (<see cref="ReviewConversationScenarios"/>) on the local review queue: reviewers
/// comment with <c>loops review comment</c>, and the test reads items and answers back through <c>loops review</c>.
/// </summary>
public sealed class LocalReviewConversationTests : ReviewConversationScenarios
{
    protected override string[] FeedbackItem => ["--item", "stamp"];

    protected override Task StartTargetAsync()
    {
        // The local queue hears every author unless review.trusted names some.
        Repo.Write(".loops/config.yml", "review:\n  target: local\n  trusted: ana, octo\n");
        Repo.Commit("local review target with trusted reviewers");
        return Task.CompletedTask;
    }

    protected override Task StopTargetAsync() => Task.CompletedTask;

    protected override async Task<long> CommentAsync(string author, string body, bool onALine = false)
    {
        var comment = await Loops("review", "comment", "stamp", body, "--author", author);
        comment.ExitCode.ShouldBe(0, comment.All);

        // A local comment's id is its position among the item's comments.
        return (await ItemAsync("stamp")).GetProperty("feedback").GetArrayLength();
    }

    protected override string IgnoredAuthor(string author) => author;

    protected override async Task<IReadOnlyList<string>> AnswersToAsync(long commentId, string author)
    {
        var comment = (await ItemAsync("stamp")).GetProperty("feedback")[(int)commentId - 1];
        comment.GetProperty("author").GetString().ShouldBe(author);
        return comment.TryGetProperty("reply", out var reply) ? [reply.GetString()!] : [];
    }

    protected override async Task<IReadOnlyList<PublishedItem>> ItemsAsync()
    {
        var list = await Loops("review", "list", "--all", "--json");
        list.ExitCode.ShouldBe(0, list.All);
        return JsonDocument.Parse(list.Output).RootElement.EnumerateArray()
            .Select(i => new PublishedItem(i.GetProperty("state").GetString() is "open" or "changes-requested", i.GetProperty("draft").GetBoolean(), i.GetProperty("revision").GetInt32()))
            .ToList();
    }

    protected override string PublishedHead() => Repo.Git("rev-parse", "loops/stamp").Trim();

    protected override string PublishedFile(string path) => Repo.Git("show", $"loops/stamp:{path}");

    private async Task<JsonElement> ItemAsync(string id)
    {
        var show = await Loops("review", "show", id, "--json");
        show.ExitCode.ShouldBe(0, show.All);
        return JsonDocument.Parse(show.Output).RootElement;
    }
}
