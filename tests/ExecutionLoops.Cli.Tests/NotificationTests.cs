using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExecutionLoops.Cli.Tests.TestSupport;
using ExecutionLoops.Core.Tests.TestSupport;
using ExecutionLoops.Diagnostics;

namespace ExecutionLoops.Cli.Tests;

/// <summary>
/// Notifications end to end: `loops delegate` with `notify:` in the config, real HTTP to receivers on 127.0.0.1, the
/// URLs and key in environment variables (each test its own names, as the CLI runs in this process).
/// </summary>
public sealed class NotificationTests
{
    private const string Token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB";

    [Fact]
    public async Task Delegate_FailingMission_NotifiesSlackTeamsAndTheSignedWebhook_WithSecretsMasked()
    {
        await using var slack = WebhookReceiver.Start();
        await using var teams = WebhookReceiver.Start();
        await using var webhook = WebhookReceiver.Start();
        using var env = new NotifyVariables(("SLACK_WEBHOOK", slack.Url), ("TEAMS_WEBHOOK", teams.Url), ("HOOK_WEBHOOK", webhook.Url), ("HOOK_SECRET", "k3y-" + Guid.NewGuid().ToString("N")));
        var failing = $"echo \"deploying with {Token}\"; echo \"url=[${env.Name("HOOK_WEBHOOK")}] key=[${env.Name("HOOK_SECRET")}]\"; exit 3";
        using var repo = Repo(("broken-step", MissionRepo.Command(failing)), $$$"""
            notify:
              on: [failure]
              channels:
                slack: {url-env: {{{env.Name("SLACK_WEBHOOK")}}}}
                teams: {url-env: {{{env.Name("TEAMS_WEBHOOK")}}}}
                webhook: {url-env: {{{env.Name("HOOK_WEBHOOK")}}}, key-env: {{{env.Name("HOOK_SECRET")}}}}
            """);

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "broken-step");

        result.ExitCode.ShouldBe(ExitCodes.MissionFailed, result.All);
        result.All.ShouldNotContain("EL403");

        var slackBody = JsonNode.Parse(slack.Requests.ShouldHaveSingleItem().Body)!;
        slackBody["text"]!.GetValue<string>().ShouldContain("Mission broken-step failed");
        slackBody["blocks"]![0]!["type"]!.GetValue<string>().ShouldBe("header");
        slackBody["blocks"]![0]!["text"]!["text"]!.GetValue<string>().ShouldBe("Mission broken-step failed");

        var teamsBody = JsonNode.Parse(teams.Requests.ShouldHaveSingleItem().Body)!;
        teamsBody["type"]!.GetValue<string>().ShouldBe("message");
        var attachment = teamsBody["attachments"]!.AsArray().ShouldHaveSingleItem()!;
        attachment["contentType"]!.GetValue<string>().ShouldBe("application/vnd.microsoft.card.adaptive");
        attachment["content"]!["type"]!.GetValue<string>().ShouldBe("AdaptiveCard");
        attachment["content"]!["version"]!.GetValue<string>().ShouldBe("1.4");
        attachment["content"]!["body"]!.AsArray().Select(b => b!["type"]!.GetValue<string>()).ShouldContain("FactSet");

        var request = webhook.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Headers["X-Loops-Event"].ShouldBe("failure");
        var timestamp = long.Parse(request.Headers["X-Loops-Timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp).ShouldBeLessThan(300);
        request.Headers["X-Loops-Signature-256"].ShouldBe(Signature(env.Value("HOOK_SECRET"), request.Headers["X-Loops-Timestamp"], request.Body));
        request.Headers["X-Loops-Signature-256"].ShouldNotBe(Signature("another key", request.Headers["X-Loops-Timestamp"], request.Body));
        var payload = JsonNode.Parse(request.Body)!;
        payload["version"]!.GetValue<int>().ShouldBe(1);
        payload["event"]!.GetValue<string>().ShouldBe("failure");
        payload["mission"]!["id"]!.GetValue<string>().ShouldBe("broken-step");
        payload["outcome"]!.GetValue<string>().ShouldBe("toil-failed");
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(TempGitRepo.SourceRoot(), "docs", "notification-payload.schema.json")))!;
        var documented = schema["properties"]!.AsObject().Select(p => p.Key).ToList();
        payload.AsObject().Select(p => p.Key).ShouldBeSubsetOf(documented);
        schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBeSubsetOf(payload.AsObject().Select(p => p.Key));
        payload["mission"]!.AsObject().Select(p => p.Key).ShouldBeSubsetOf(schema["properties"]!["mission"]!["properties"]!.AsObject().Select(p => p.Key));
        var details = payload["details"]!.GetValue<string>();
        details.ShouldContain("deploying with ***");
        details.ShouldContain("url=[] key=[]", customMessage: "the webhook URL and key must not reach the mission's processes");

        foreach (var body in new[] { slack, teams, webhook }.SelectMany(r => r.Requests).Select(r => r.Body))
        {
            body.ShouldNotContain(Token);
            body.ShouldNotContain(env.Value("HOOK_SECRET"));
        }
    }

    [Fact]
    public async Task Delegate_Publish_NotifiesThePublishEventWithTheReviewItem()
    {
        await using var webhook = WebhookReceiver.Start();
        using var env = new NotifyVariables(("HOOK_WEBHOOK", webhook.Url), ("HOOK_SECRET", "k3y-" + Guid.NewGuid().ToString("N")));
        using var repo = Repo(("append-note", MissionRepo.Command("echo changed >> notes.txt")), $$$"""
            notify:
              on: [failure]
              channels:
                webhook: {url-env: {{{env.Name("HOOK_WEBHOOK")}}}, key-env: {{{env.Name("HOOK_SECRET")}}}, on: [publish]}
            """);

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note");

        result.ExitCode.ShouldBe(0, result.All);
        var request = webhook.Requests.ShouldHaveSingleItem();
        request.Headers["X-Loops-Signature-256"].ShouldBe(Signature(env.Value("HOOK_SECRET"), request.Headers["X-Loops-Timestamp"], request.Body));
        var payload = JsonNode.Parse(request.Body)!;
        payload["event"]!.GetValue<string>().ShouldBe("publish");
        payload["outcome"]!.GetValue<string>().ShouldBe("published");
        payload["reviewItem"]!["id"]!.GetValue<string>().ShouldBe("append-note");
    }

    [Fact]
    public async Task Delegate_ReceiverAnswers503ThenOk_RetriesAndDeliversOnce()
    {
        await using var slack = WebhookReceiver.Start();
        slack.Answer(503, 200);
        using var env = new NotifyVariables(("SLACK_WEBHOOK", slack.Url));
        using var repo = Repo(("append-note", MissionRepo.Command("echo changed >> notes.txt")), $$$"""
            notify:
              on: [publish]
              channels: {slack: {url-env: {{{env.Name("SLACK_WEBHOOK")}}}}}
            """);

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note");

        result.ExitCode.ShouldBe(0, result.All);
        result.All.ShouldNotContain("EL4030");
        slack.Requests.Count.ShouldBe(2);
        slack.Requests[1].Body.ShouldBe(slack.Requests[0].Body);
    }

    [Fact]
    public async Task Delegate_DeadReceiver_WarnsAndKeepsTheRunsOutcomeAndExitCode()
    {
        using var env = new NotifyVariables(("SLACK_WEBHOOK", WebhookReceiver.DeadUrl()));
        using var repo = Repo(("append-note", MissionRepo.Command("echo changed >> notes.txt")), $$$"""
            notify:
              on: [publish, failure]
              channels: {slack: {url-env: {{{env.Name("SLACK_WEBHOOK")}}}}}
            """);

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note", "--json");

        result.ExitCode.ShouldBe(0, result.All);
        result.Error.ShouldContain("warning EL4030");
        result.Error.ShouldContain("4 attempt(s)");
        result.All.ShouldNotContain(env.Value("SLACK_WEBHOOK"));
        var report = JsonNode.Parse(result.Output)!;
        report["missions"]![0]!["outcome"]!.GetValue<string>().ShouldBe("published");
        report["warnings"]![0]!["code"]!.GetValue<string>().ShouldBe(DiagnosticCodes.NotificationFailed);
    }

    [Fact]
    public async Task Delegate_HangingReceiver_GivesUpAtTheTimeOut()
    {
        await using var teams = WebhookReceiver.StartHanging();
        using var env = new NotifyVariables(("TEAMS_WEBHOOK", teams.Url));
        using var repo = Repo(("broken-step", MissionRepo.Command("exit 4")), $$$"""
            notify:
              timeout: 2s
              channels: {teams: {url-env: {{{env.Name("TEAMS_WEBHOOK")}}}}}
            """);
        var clock = Stopwatch.StartNew();
        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "broken-step");
        clock.Stop();

        result.ExitCode.ShouldBe(ExitCodes.MissionFailed, result.All);
        result.Error.ShouldContain("warning EL4032");
        teams.Requests.Count.ShouldBe(1);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(15), "the hanging receiver must cost at most the time-out");
    }

    [Fact]
    public async Task Delegate_NotifyVariableNotSet_WarnsOnceAndSucceeds()
    {
        var name = $"LOOPS_UNSET{Guid.NewGuid():N}_WEBHOOK".ToUpperInvariant();
        using var repo = Repo(("append-note", MissionRepo.Command("echo changed >> notes.txt")), $$$"""
            notify:
              on: [publish]
              channels: {slack: {url-env: {{{name}}}}}
            """);

        var result = await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note");

        result.ExitCode.ShouldBe(0, result.All);
        result.Error.ShouldContain($"warning EL4031: The slack notification was not sent: the environment variable {name} is not set.");
    }

    [Fact]
    public async Task StaleReviewItem_IsReportedOncePerRevision()
    {
        await using var webhook = WebhookReceiver.Start();
        using var env = new NotifyVariables(("HOOK_WEBHOOK", webhook.Url), ("HOOK_SECRET", "k3y-" + Guid.NewGuid().ToString("N")));
        using var repo = Repo(("append-note", MissionRepo.Command("echo changed >> notes.txt")), $$$"""
            notify:
              on: [stale-review]
              stale-after: 1ms
              channels: {webhook: {url-env: {{{env.Name("HOOK_WEBHOOK")}}}, key-env: {{{env.Name("HOOK_SECRET")}}}}}
            """);

        (await CliRunner.RunAsync(repo.Root, "delegate", "--mission", "append-note")).ExitCode.ShouldBe(0);
        var first = webhook.Requests.ShouldHaveSingleItem();
        var feedback = await CliRunner.RunAsync(repo.Root, "feedback", "--item", "append-note");

        feedback.ExitCode.ShouldBe(0, feedback.All);
        webhook.Requests.Count.ShouldBe(1, "the same revision is reported once");
        var payload = JsonNode.Parse(first.Body)!;
        payload["event"]!.GetValue<string>().ShouldBe("stale-review");
        payload["reviewItem"]!["id"]!.GetValue<string>().ShouldBe("append-note");
        payload["reviewItem"]!["waitingSince"].ShouldNotBeNull();
        first.Headers["X-Loops-Event"].ShouldBe("stale-review");
    }

    [Fact]
    public async Task Lint_NotifyWithALiteralUrlOrAPlainVariableName_IsAnErrorWithLineAndColumn()
    {
        using var repo = Repo(("append-note", MissionRepo.Command("echo changed >> notes.txt", extra: "notify: {on: [publish, stale], channels: {teams: {url-env: TEAMS_URL}}}")), """
            notify:
              channels:
                slack: {url: "https://hooks.example.invalid/services/T0/B0/XYZ"}
                webhook: {url-env: "https://hooks.example.invalid/x", key-env: LOOPS_WEBHOOK_SECRET}
            """);

        var result = await CliRunner.RunAsync(repo.Root, "lint");

        result.ExitCode.ShouldBe(ExitCodes.InvalidInput, result.All);
        result.All.ShouldContain(".loops/config.yml(3,13): error EL1065: 'url' in notify.channels.slack");
        result.All.ShouldContain(".loops/config.yml(4,24): error EL1065: notify.channels.webhook.url-env holds a URL");
        result.All.ShouldContain("error EL1066: 'TEAMS_URL' in notify.channels.teams.url-env does not look like a secret's name");
        result.All.ShouldContain("error EL1014: Unknown notification event 'stale' in 'notify.on'. Did you mean 'stale-review'?");
    }

    private static TempGitRepo Repo((string Id, string FrontMatter) mission, string config)
    {
        var repo = MissionRepo.Create(mission);
        repo.Write(".loops/config.yml", config);
        repo.Commit("notify config");
        return repo;
    }

    private static string Signature(string key, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    /// <summary>Environment variables with names of this test's own (LOOPS_N&lt;guid&gt;_…), removed afterwards.</summary>
    private sealed class NotifyVariables : IDisposable
    {
        private readonly string _prefix = $"LOOPS_N{Guid.NewGuid():N}_".ToUpperInvariant();
        private readonly Dictionary<string, string> _values = [];

        public NotifyVariables(params (string Suffix, string Value)[] variables)
        {
            foreach (var (suffix, value) in variables)
            {
                _values[suffix] = value;
                Environment.SetEnvironmentVariable(Name(suffix), value);
            }
        }

        public string Name(string suffix) => _prefix + suffix;

        public string Value(string suffix) => _values[suffix];

        public void Dispose()
        {
            foreach (var suffix in _values.Keys)
            {
                Environment.SetEnvironmentVariable(Name(suffix), null);
            }
        }
    }
}
