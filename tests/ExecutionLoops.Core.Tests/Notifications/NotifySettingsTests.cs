using ExecutionLoops.Briefs;
using ExecutionLoops.Execution;
using ExecutionLoops.Notifications;

namespace ExecutionLoops.Core.Tests.Notifications;

public sealed class NotifySettingsTests
{
    private static readonly BriefVocabulary Vocabulary = LoopsRegistry.VocabularyOf();

    [Fact]
    public void BriefNotify_OverridesTheConfigKeyByKey()
    {
        using var repo = new TestSupport.TempGitRepo();
        repo.Write(".loops/config.yml", "notify:\n  on: [failure]\n  timeout: 5s\n  channels:\n    slack: {url-env: LOOPS_SLACK_WEBHOOK}\n");
        var (config, configDiagnostics) = ConfigLoader.Load(repo.Root, Vocabulary);
        var brief = BriefParser.Parse("---\nkind: command\ncommands: [\"true\"]\ngates: [diff]\nnotify: {on: [publish, failure]}\n---\n# x\n", "/repo/.loops/missions/x.md", ".loops/missions/x.md", Vocabulary, []);

        configDiagnostics.ShouldBeEmpty();
        brief.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        var effective = brief.Brief!.SettingsOf<NotifySettings>().Over(config.Notify);
        effective.EffectiveOn.ShouldBe([NotifyEvent.Publish, NotifyEvent.Failure]);
        effective.EffectiveTimeout.ShouldBe(TimeSpan.FromSeconds(5));
        effective.ChannelsFor(NotifyEvent.Publish).ShouldHaveSingleItem().UrlVariable.ShouldBe("LOOPS_SLACK_WEBHOOK");
        config.Notify.ChannelsFor(NotifyEvent.Publish).ShouldBeEmpty();
    }

    [Fact]
    public void WebhookPayload_Sign_IsHmacSha256OfTimestampDotBody()
    {
        // A known answer, computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
        WebhookPayload.Sign("key", 1700000000, "{\"a\":1}").ShouldBe("sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03");
        WebhookPayload.Sign("key", 1700000001, "{\"a\":1}").ShouldNotBe(WebhookPayload.Sign("key", 1700000000, "{\"a\":1}"));
    }
}
